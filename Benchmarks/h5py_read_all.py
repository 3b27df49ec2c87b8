"""Reads every dataset of a .keras archive's model.weights.h5 with h5py (one measurement per process)."""
import sys
import zipfile

import h5py


def main(path: str) -> None:
    total = 0
    with zipfile.ZipFile(path) as archive, archive.open("model.weights.h5") as member:
        with h5py.File(member, "r") as weights:
            def read(name, obj):
                nonlocal total
                if isinstance(obj, h5py.Dataset):
                    total += obj[()].nbytes
            weights.visititems(read)
    print(total)


if __name__ == "__main__":
    main(sys.argv[1])
