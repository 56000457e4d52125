"""The chunk grid of a job: rectangles of whole input tiles, fixed by the input and the memory budget.

Each chunk is a whole number of the first input band's internal blocks (a tiled GeoTIFF's 256 × 256
tiles, a COG's 512 × 512, a striped file's rows), so that every block is read by exactly one task. The
grid depends only on the raster's size, its block size and the per-chunk memory budget — never on the
number of workers — so per-chunk partial sums are the same in every run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from osgeo import gdal

gdal.UseExceptions()


@dataclass(frozen=True)
class Chunk:
    """One chunk: its position in the chunk grid and its pixel window."""

    index: int  # row-major position in the chunk grid
    col0: int
    row0: int
    ncols: int
    nrows: int

    @property
    def window(self) -> tuple[int, int, int, int]:
        """``(col0, row0, ncols, nrows)``, as GDAL's ``ReadAsArray`` takes it."""
        return (self.col0, self.row0, self.ncols, self.nrows)

    @property
    def name(self) -> str:
        """A file-name-safe name, unique in the grid (``r000512_c001024``)."""
        return f"r{self.row0:07d}_c{self.col0:07d}"


def block_size(path: str, band: int = 1) -> tuple[int, int]:
    """The internal block (tile or strip) size of ``band`` of the raster ``path``: ``(width, height)``."""
    ds = gdal.Open(path)
    try:
        bx, by = ds.GetRasterBand(band).GetBlockSize()
    finally:
        ds = None
    return int(bx), int(by)


def chunk_grid(
    xsize: int, ysize: int, block: tuple[int, int], bytes_per_pixel: float, memory_mb: float
) -> list[Chunk]:
    """Chunks covering an ``xsize`` × ``ysize`` raster, each of whole ``block``s and within the budget.

    A chunk holds at most ``memory_mb`` MB at ``bytes_per_pixel`` (the kernel's working memory per
    pixel), but never less than one block. Striped rasters (blocks as wide as the raster) get
    full-width chunks of whole strips; tiled rasters get near-square chunks of k × k tiles.

    >>> [c.window for c in chunk_grid(600, 300, (256, 256), 1024.0, 64)]
    [(0, 0, 256, 256), (256, 0, 256, 256), (512, 0, 88, 256), (0, 256, 256, 44), (256, 256, 256, 44), (512, 256, 88, 44)]
    >>> strips = chunk_grid(600, 300, (600, 1), 100.0, 1)  # 1 MB at 100 bytes: 17 strips of a row
    >>> len(strips), strips[0].window, strips[-1].window
    (18, (0, 0, 600, 17), (0, 289, 600, 11))
    """
    if xsize <= 0 or ysize <= 0:
        raise ValueError(f"the raster must have pixels; got {xsize} × {ysize}")
    if memory_mb <= 0 or bytes_per_pixel <= 0:
        raise ValueError(
            f"memory_mb and bytes_per_pixel must be positive; got {memory_mb}, {bytes_per_pixel}"
        )
    bx, by = max(1, min(block[0], xsize)), max(1, min(block[1], ysize))
    max_pixels = memory_mb * 2**20 / bytes_per_pixel
    n_blocks = max(1, int(max_pixels // (bx * by)))
    if bx >= xsize:  # striped: full-width chunks of whole strips
        cw, ch = xsize, by * n_blocks
    else:
        k = max(1, math.isqrt(n_blocks))
        cw, ch = bx * k, by * k
    cw, ch = min(cw, xsize), min(ch, ysize)
    chunks = []
    for row0 in range(0, ysize, ch):
        for col0 in range(0, xsize, cw):
            chunks.append(Chunk(len(chunks), col0, row0, min(cw, xsize - col0), min(ch, ysize - row0)))
    return chunks
