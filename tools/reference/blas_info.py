"""Which BLAS library a benchmark process runs on (printed beside every PyTorch timing)."""


def blas():
    """The BLAS library this process has loaded (from /proc/self/maps), or None."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1]}
        return ", ".join(sorted(paths)) or None
    except OSError:
        return None
