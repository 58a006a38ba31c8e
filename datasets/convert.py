#!/usr/bin/env python3
"""Convert the raw dataset copies into the plain CSV files and the PNG image folder in this folder.

Usage:
    python3 datasets/convert.py [SOURCE_DIR] [OUTPUT_DIR]

SOURCE_DIR defaults to ../shared/datasets relative to the repository root
(i.e. <repo>/../shared/datasets); OUTPUT_DIR defaults to the folder holding
this script. The output is deterministic: numbers are copied as the text found
in the source (already invariant-culture), files use a header row, commas,
minimal quoting and unix newlines. Each file is checked (row count, column
count, class counts) before it is written.

fashion-mnist-png/ is an image folder (one sub-folder per class) written from
the Fashion-MNIST test split: the first PNG_PER_CLASS images of each class in
file order, as 8-bit greyscale PNGs named by their 0-based t10k index. The PNG
encoder below is plain zlib + struct (no imaging library), with a fixed
compression level, so reruns give byte-identical files.
"""

import argparse
import collections
import csv
import gzip
import io
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
DEFAULT_SOURCE = os.path.join(REPO_ROOT, "..", "shared", "datasets")

WINE_FEATURES = [
    "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium",
    "total_phenols", "flavanoids", "nonflavanoid_phenols", "proanthocyanins",
    "color_intensity", "hue", "od280_od315_of_diluted_wines", "proline",
]

# sklearn.datasets.load_breast_cancer().feature_names, in order, snake_cased.
_BC_BASE = [
    "radius", "texture", "perimeter", "area", "smoothness", "compactness",
    "concavity", "concave_points", "symmetry", "fractal_dimension",
]
BREAST_CANCER_FEATURES = (
    ["mean_" + b for b in _BC_BASE]
    + [b + "_error" for b in _BC_BASE]
    + ["worst_" + b for b in _BC_BASE]
)

IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
DIABETES_COLUMNS = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
ADULT_COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education_num",
    "marital_status", "occupation", "relationship", "ethnicity", "sex",
    "capital_gain", "capital_loss", "hours_per_week", "native_country", "label",
]


def number(token):
    """Validate that a token is a plain number and return it unchanged."""
    token = token.strip()
    float(token)  # raises on anything that is not a number
    return token


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return [line.rstrip("\r\n") for line in f if line.strip()]


def write_csv(out_dir, name, header, rows):
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError(f"{name}: row {i} has {len(row)} columns, expected {len(header)}")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    return path


def check(name, rows, expected_rows, label_index, expected_counts=None):
    if len(rows) != expected_rows:
        raise ValueError(f"{name}: {len(rows)} rows, expected {expected_rows}")
    counts = collections.Counter(r[label_index] for r in rows)
    if expected_counts is not None and dict(counts) != expected_counts:
        raise ValueError(f"{name}: label counts {dict(counts)}, expected {expected_counts}")
    return counts


def sklearn_classification(path, n_features_expected):
    """sklearn's format: first line 'n_rows,n_features,name0,name1,...'."""
    lines = read_lines(path)
    first = lines[0].split(",")
    n_rows, n_features = int(first[0]), int(first[1])
    class_names = [c.strip() for c in first[2:]]
    if n_features != n_features_expected:
        raise ValueError(f"{path}: {n_features} features, expected {n_features_expected}")
    rows = []
    for line in lines[1:]:
        parts = line.split(",")
        if len(parts) != n_features + 1:
            raise ValueError(f"{path}: bad line {line!r}")
        rows.append(([number(p) for p in parts[:-1]], int(parts[-1])))
    if len(rows) != n_rows:
        raise ValueError(f"{path}: {len(rows)} rows, header says {n_rows}")
    return class_names, rows


def convert_iris(src, out):
    names, rows = sklearn_classification(os.path.join(src, "sklearn", "iris.csv"), 4)
    data = [feats + [names[y]] for feats, y in rows]
    counts = check("iris.csv", data, 150, 4, {"setosa": 50, "versicolor": 50, "virginica": 50})
    return write_csv(out, "iris.csv", IRIS_FEATURES + ["species"], data), counts


def convert_wine(src, out):
    names, rows = sklearn_classification(os.path.join(src, "sklearn", "wine_data.csv"), 13)
    data = [feats + [names[y]] for feats, y in rows]
    counts = check("wine.csv", data, 178, 13, {"class_0": 59, "class_1": 71, "class_2": 48})
    return write_csv(out, "wine.csv", WINE_FEATURES + ["class"], data), counts


def convert_breast_cancer(src, out):
    names, rows = sklearn_classification(os.path.join(src, "sklearn", "breast_cancer.csv"), 30)
    if names != ["malignant", "benign"]:
        raise ValueError(f"breast_cancer.csv: unexpected class names {names}")
    # label = true means malignant (class index 0 in the source).
    data = [feats + ["true" if names[y] == "malignant" else "false"] for feats, y in rows]
    counts = check("breast-cancer.csv", data, 569, 30, {"true": 212, "false": 357})
    return write_csv(out, "breast-cancer.csv", BREAST_CANCER_FEATURES + ["label"], data), counts


def convert_digits(src, out):
    lines = read_lines(os.path.join(src, "sklearn", "digits.csv.gz"))
    data = []
    for line in lines:
        parts = [int(float(p)) for p in line.split(",")]
        if len(parts) != 65 or not all(0 <= p <= 16 for p in parts[:64]) or not 0 <= parts[64] <= 9:
            raise ValueError(f"digits: bad line {line!r}")
        data.append([str(p) for p in parts])
    counts = check("digits.csv", data, 1797, 64)
    if sorted(counts) != [str(d) for d in range(10)]:
        raise ValueError(f"digits: labels {sorted(counts)}")
    header = [f"pixel{i}" for i in range(64)] + ["digit"]
    return write_csv(out, "digits.csv", header, data), counts


def convert_diabetes(src, out):
    x = read_lines(os.path.join(src, "sklearn", "diabetes_data_raw.csv.gz"))
    y = read_lines(os.path.join(src, "sklearn", "diabetes_target.csv.gz"))
    if len(x) != len(y):
        raise ValueError(f"diabetes: {len(x)} feature rows but {len(y)} targets")
    data = []
    for xl, yl in zip(x, y):
        feats = [number(p) for p in xl.split()]
        if len(feats) != 10:
            raise ValueError(f"diabetes: bad line {xl!r}")
        t = float(yl)
        target = str(int(t)) if t == int(t) else repr(t)
        data.append(feats + [target])
    check("diabetes.csv", data, 442, 10)
    return write_csv(out, "diabetes.csv", DIABETES_COLUMNS + ["target"], data), None


def convert_concrete(src, out):
    with open(os.path.join(src, "concrete", "concrete.csv"), encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        data = [[number(p) for p in row] for row in reader if row]
    if header[-1] != "compressive_strength" or len(header) != 9:
        raise ValueError(f"concrete: unexpected header {header}")
    check("concrete.csv", data, 1030, 8)
    return write_csv(out, "concrete.csv", header, data), None


def convert_adult(src, out):
    lines = read_lines(os.path.join(src, "adult", "adult.txt"))
    header = [h.strip() for h in lines[0].split(",")]
    if len(header) != 15 or header[-1] != "label(IsOver50K)":
        raise ValueError(f"adult: unexpected header {header}")
    numeric = {0, 2, 4, 10, 11, 12}
    data = []
    for line in lines[1:]:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 15:
            raise ValueError(f"adult: bad line {line!r}")
        for i in numeric:
            parts[i] = str(int(parts[i]))
        parts[14] = {"1": "true", "0": "false"}[parts[14]]
        data.append(parts)
    counts = check("adult.csv", data, 32561, 14)
    return write_csv(out, "adult.csv", ADULT_COLUMNS, data), counts


# Fashion-MNIST's labels 0..9, as folder names (no '/' or spaces).
FASHION_CLASSES = [
    "T-shirt_top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle_boot",
]
PNG_PER_CLASS = 100


def read_idx(path):
    """An IDX file of unsigned bytes (gzip): returns (shape, data bytes)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = raw[4 + 4 * ndim:]
    size = 1
    for d in shape:
        size *= d
    if len(data) != size:
        raise ValueError(f"{path}: {len(data)} data bytes, shape {shape} needs {size}")
    return shape, data


def png_grey8(width, height, pixels):
    """An 8-bit greyscale PNG (colour type 0): filter byte 0 before each row, one IDAT chunk."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def convert_fashion_mnist_png(src, out):
    folder = os.path.join(src, "fashion-mnist")
    shape, images = read_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz"))
    lshape, labels = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte.gz"))
    if len(shape) != 3 or shape[1:] != (28, 28) or lshape != (shape[0],):
        raise ValueError(f"fashion-mnist: image shape {shape}, label shape {lshape}")
    count, h, w = shape
    root = os.path.join(out, "fashion-mnist-png")
    written = collections.Counter()
    for index in range(count):
        label = labels[index]
        name = FASHION_CLASSES[label]
        if written[name] == PNG_PER_CLASS:
            continue
        os.makedirs(os.path.join(root, name), exist_ok=True)
        pixels = images[index * h * w:(index + 1) * h * w]
        with open(os.path.join(root, name, f"{index:05d}.png"), "wb") as f:
            f.write(png_grey8(w, h, pixels))
        written[name] += 1
    if dict(written) != {c: PNG_PER_CLASS for c in FASHION_CLASSES}:
        raise ValueError(f"fashion-mnist-png: wrote {dict(written)}")
    return root, written


IDX_SAMPLE = 200


def idx_bytes(shape, data):
    """An unsigned-byte IDX file: magic (0, 0, 0x08, ndim), big-endian dimensions, then the bytes."""
    return struct.pack(">HBB", 0, 0x08, len(shape)) + struct.pack(">" + "I" * len(shape), *shape) + data


def convert_fashion_mnist_idx(src, out):
    """The first IDX_SAMPLE t10k images and labels, still in the IDX format (gzip with mtime 0: reproducible)."""
    folder = os.path.join(src, "fashion-mnist")
    (count, h, w), images = read_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz"))
    _, labels = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte.gz"))
    root = os.path.join(out, "fashion-mnist-idx")
    os.makedirs(root, exist_ok=True)
    n = IDX_SAMPLE
    for name, body in ((f"t10k-first{n}-images-idx3-ubyte.gz", idx_bytes((n, h, w), images[:n * h * w])),
                       (f"t10k-first{n}-labels-idx1-ubyte.gz", idx_bytes((n,), labels[:n]))):
        with open(os.path.join(root, name), "wb") as f:
            with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as z:
                z.write(body)
    return root, collections.Counter(FASHION_CLASSES[v] for v in labels[:n])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", nargs="?", default=DEFAULT_SOURCE, help="raw datasets folder (default: %(default)s)")
    p.add_argument("output", nargs="?", default=HERE, help="output folder (default: this script's folder)")
    args = p.parse_args(argv)
    source = os.path.normpath(args.source)
    os.makedirs(args.output, exist_ok=True)
    for fn in (convert_iris, convert_wine, convert_breast_cancer, convert_digits,
               convert_diabetes, convert_concrete, convert_adult):
        path, counts = fn(source, args.output)
        with open(path, encoding="utf-8") as f:
            n = sum(1 for _ in f) - 1
        dist = "" if counts is None else "  " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        print(f"{os.path.basename(path):20s} {n:6d} rows {os.path.getsize(path):9d} bytes{dist}")
    root, counts = convert_fashion_mnist_png(source, args.output)
    files = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
    size = sum(os.path.getsize(f) for f in files)
    print(f"{os.path.basename(root) + '/':20s} {len(files):6d} PNGs {size:9d} bytes  {len(counts)} classes x {PNG_PER_CLASS}")
    root, counts = convert_fashion_mnist_idx(source, args.output)
    size = sum(os.path.getsize(os.path.join(root, f)) for f in os.listdir(root))
    print(f"{os.path.basename(root) + '/':20s} {IDX_SAMPLE:6d} images {size:9d} bytes  " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
