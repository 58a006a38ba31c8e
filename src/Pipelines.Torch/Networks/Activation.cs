namespace Pipelines.Torch.Networks;

/// <summary>The nonlinearity between hidden layers.</summary>
public enum Activation
{
    ReLU,
    GELU,
    Tanh,
    SiLU,
    LeakyReLU,
}
