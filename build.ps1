#!/usr/bin/env pwsh
# Build, test, pack, benchmark and try the project. PowerShell 7; on a machine without it, the repository's
# tool manifest provides it: `dotnet tool restore`, then `dotnet pwsh build.ps1 <target>`.
#
#   build.ps1 build                 compile everything (Release)
#   build.ps1 test                  run the whole test suite (what CI runs)
#   build.ps1 pack                  write the Pipelines.Torch NuGet package to artifacts/packages
#   build.ps1 bench [args]          run the benchmark harness (see docs/benchmarks.md)
#   build.ps1 quickstart [dataset]  train on a real dataset: breast-cancer (default), wine or concrete
#
# -Backend cpu|cuda-linux|cuda-windows picks the LibTorch backend package (default cpu).
param(
    [Parameter(Position = 0)][ValidateSet('build', 'test', 'pack', 'bench', 'quickstart')][string]$Target = 'build',
    [ValidateSet('cpu', 'cuda-linux', 'cuda-windows')][string]$Backend = 'cpu',
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$backendArg = "-p:TorchBackend=$Backend"

function Invoke-Dotnet([string[]]$arguments) {
    & dotnet @arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

switch ($Target) {
    'build' { Invoke-Dotnet @('build', 'Pipelines.sln', '-c', 'Release', $backendArg) }
    'test' { Invoke-Dotnet @('test', 'Pipelines.sln', $backendArg) }
    'pack' { Invoke-Dotnet @('pack', 'src/Pipelines.Torch', '-c', 'Release', '-o', 'artifacts/packages') }
    'bench' { Invoke-Dotnet (@('run', '-c', 'Release', '--project', 'bench/Pipelines.Bench', $backendArg, '--') + $Rest) }
    'quickstart' { Invoke-Dotnet (@('run', '-c', 'Release', '--project', 'samples/QuickStart', $backendArg, '--') + $Rest) }
}
