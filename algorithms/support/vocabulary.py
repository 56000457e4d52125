"""The parameter vocabulary: one name, one label, one unit and one help text per concept.

Every parameter that more than one algorithm (or the whole-study model) uses is a term here, and every
algorithm takes its label and help from here (:func:`label`, :func:`help_text`), so the same concept reads
the same everywhere; ``test/algorithms/test_vocabulary.py`` checks it over all algorithms, and
``scripts/build_docs.py`` writes the README's vocabulary table from it. The rules:

- one concept, one name, one label, one unit, in every algorithm and in the whole-study model;
- field parameters (a field of a vector layer or table) end in ``_FIELD``; layers never do;
- a stack parameter ``X`` has its years in ``X_YEARS`` and its nodata override in ``X_NODATA``; the generic
  yearly input of a per-pixel statistic is ``INPUT`` (``YEARS``, ``INPUT_NODATA``), as in QGIS;
- units: carbon density ``t C/hm²``, storage ``t C``, areas ``hm²``, rates per year ``/a``;
- a label starts with the concept, then the unit or form in brackets.

Labels and help texts are plain text: the help panel reads them as HTML, so they never hold "<".
"""

from dataclasses import dataclass

from qgis.PyQt.QtCore import QCoreApplication

CONTEXT = "Vocabulary"


@dataclass(frozen=True)
class Term:
    name: str
    kind: str  # raster, vector, field, number, string, enum, boolean, file, matrix, band
    label: str
    help: str
    concept: str


def _t(name, kind, concept, label, help_):
    return Term(name, kind, label, help_, concept)


def _(text):
    """Marks a text translated in the "Vocabulary" context (by :func:`label` and :func:`help_text`)."""
    return text


_YEARS_HELP = _(
    "Years of the bands in order, e.g. 2001-2024 or 2001,2003,2005 (gaps allowed). Empty: read from the "
    "netCDF time axis, the band descriptions or YEAR metadata, or the file names (npp_2003.tif)."
)

TERMS = {
    t.name: t
    for t in (
        # ---- yearly stacks
        _t(
            "INPUT",
            "raster",
            "generic yearly stack (any variable)",
            _("Yearly stack (one band per year, or one raster per year)"),
            _(
                "A multi-band raster with one band per year, or one single-band raster per year, or a netCDF "
                'variable (NETCDF:"file.nc":var) with a time axis. All on one grid.'
            ),
        ),
        _t(
            "YEARS",
            "string",
            "years of the bands of INPUT",
            _("Years of the bands (empty: from the data)"),
            _YEARS_HELP,
        ),
        _t(
            "CARBON_DENSITY",
            "raster",
            "carbon density stack",
            _("Carbon density stack (t C/hm², one band per year)"),
            _(
                "Carbon density in t C/hm² (= Mg C/ha), one band per year: the CARBON_DENSITY output of Predict "
                "annual carbon density, or any stack of the same form."
            ),
        ),
        _t(
            "CARBON_DENSITY_YEARS",
            "string",
            "years of the carbon density stack",
            _("Years of the bands (empty: from the data)"),
            _YEARS_HELP,
        ),
        _t(
            "CARBON_DENSITY_START",
            "raster",
            "carbon density at the start date",
            _("Carbon density at the start (t C/hm²)"),
            _("Carbon density in t C/hm² at the date of the start land use (single band)."),
        ),
        _t(
            "CARBON_DENSITY_END",
            "raster",
            "carbon density at the end date",
            _("Carbon density at the end (t C/hm²)"),
            _("Carbon density in t C/hm² at the date of the end land use (single band)."),
        ),
        _t(
            "TEMPERATURE",
            "raster",
            "temperature stack",
            _("Temperature stack (°C, one band per year)"),
            _("Mean annual temperature, one band per year, on the grid of the other inputs."),
        ),
        _t(
            "TEMPERATURE_YEARS",
            "string",
            "years of the temperature stack",
            _("Years of the bands (empty: from the data)"),
            _YEARS_HELP,
        ),
        _t(
            "PRECIPITATION",
            "raster",
            "precipitation stack",
            _("Precipitation stack (mm, one band per year)"),
            _("Annual precipitation, one band per year, on the grid of the other inputs."),
        ),
        _t(
            "PRECIPITATION_YEARS",
            "string",
            "years of the precipitation stack",
            _("Years of the bands (empty: from the data)"),
            _YEARS_HELP,
        ),
        _t(
            "ARIDITY",
            "raster",
            "aridity index stack",
            _("Aridity index stack (one band per year)"),
            _("Aridity index, one band per year (P/PET by default: larger is wetter)."),
        ),
        _t(
            "ARIDITY_YEARS",
            "string",
            "years of the aridity index stack",
            _("Years of the bands (empty: from the data)"),
            _YEARS_HELP,
        ),
        _t(
            "LANDUSE_START",
            "raster",
            "land use at the start date",
            _("Land use at the start (integer class codes)"),
            _("Land-use raster of the first date, one integer code per class (e.g. CNLUCC 1-6 or 11-67)."),
        ),
        _t(
            "LANDUSE_END",
            "raster",
            "land use at the end date",
            _("Land use at the end (integer class codes)"),
            _("Land-use raster of the last date, with the codes of the start raster."),
        ),
        # ---- per-pixel results that later steps read
        _t(
            "SLOPE",
            "raster",
            "Sen slope raster",
            _("Sen slope (units per year)"),
            _(
                "Theil–Sen slope per pixel, in the stack's units per year (the SLOPE output of Theil–Sen slope "
                "and Mann–Kendall trend)."
            ),
        ),
        _t(
            "P_VALUE",
            "raster",
            "p-value raster of the step's test",
            _("p-value (two-sided)"),
            _(
                "Two-sided p-value per pixel of the test the step computes (Mann–Kendall for a trend, local "
                "Moran's I for LISA)."
            ),
        ),
        _t(
            "Z_SCORE",
            "raster",
            "z-score raster of the step's test",
            _("z-score"),
            _(
                "Standardised test statistic per pixel (Mann–Kendall Z for a trend, z of local Moran's I for "
                "LISA)."
            ),
        ),
        _t(
            "TREND_CLASS",
            "raster",
            "trend class raster",
            _("Trend class (Sen + Mann–Kendall)"),
            _(
                "Class raster of the TREND_CLASS output of Theil–Sen slope and Mann–Kendall trend: significant "
                "increase, no significant change, significant decrease (or five classes)."
            ),
        ),
        _t(
            "HURST",
            "raster",
            "Hurst exponent raster",
            _("Hurst exponent"),
            _(
                "Hurst exponent per pixel (the HURST output of Hurst exponent): above 0.5 persistent, below 0.5 "
                "anti-persistent."
            ),
        ),
        _t(
            "FUTURE_CLASS",
            "raster",
            "future trend class raster",
            _("Future trend class"),
            _("Class raster of the FUTURE_CLASS output of Future trend (Sen slope × Hurst)."),
        ),
        _t(
            "CV",
            "raster",
            "coefficient of variation raster",
            _("Coefficient of variation (Cv)"),
            _("Cv = σ / μ of each pixel's yearly series (the CV output of Coefficient of variation)."),
        ),
        _t(
            "CV_CLASS",
            "raster",
            "stability class raster",
            _("Stability class (Cv)"),
            _("Cv in classes from high to low stability."),
        ),
        _t(
            "LISA_CLUSTER",
            "raster",
            "LISA cluster raster",
            _("LISA cluster"),
            _(
                "Class raster of the LISA_CLUSTER output of Local Moran's I: High-High, Low-Low, High-Low, "
                "Low-High, Not significant, Isolated."
            ),
        ),
        _t(
            "DRIVER_CLASS",
            "raster",
            "climate driver type raster",
            _("Climate driver type"),
            _("Class raster of the DRIVER_CLASS output of Climate partial correlation and driver types."),
        ),
        _t(
            "ZONES",
            "raster",
            "diagnostic zones raster",
            _("Diagnostic zones"),
            _("Class raster of the ZONES output of Diagnostic zoning."),
        ),
        _t(
            "STORAGE",
            "raster",
            "carbon storage raster",
            _("Carbon storage (t C per pixel, one band per year)"),
            _("Carbon storage of each pixel (density × true pixel area), one band per year."),
        ),
        # ---- points, fields and factor rasters of the carbon density model
        _t(
            "PLOTS",
            "vector",
            "survey plots",
            _("Survey plots"),
            _("Point layer of the measured survey plots (one feature per plot)."),
        ),
        _t(
            "TREES",
            "vector",
            "tree table",
            _("Tree table (one row per tree)"),
            _(
                "Table (CSV or any table layer) with one row per measured tree: plot id, species group, DBH, "
                "height."
            ),
        ),
        _t(
            "SAMPLES",
            "vector",
            "sample points",
            _("Sample points (survey plots and augmented points)"),
            _(
                "Points with a carbon density field: the SAMPLES output of Augment samples by NPP ratio, or the "
                "survey plots themselves."
            ),
        ),
        _t(
            "CARBON_FIELD",
            "field",
            "carbon density field of points",
            _("Carbon density field (t C/hm²)"),
            _(
                "Numeric field with the carbon density of each point in t C/hm² (C_total of Plot carbon density, "
                "carbon_density of Augment samples)."
            ),
        ),
        _t(
            "PLOT_ID_FIELD",
            "field",
            "plot id field",
            _("Plot id field"),
            _("Field that identifies each plot; messages and outputs name plots by it."),
        ),
        _t(
            "ECOSYSTEM_FIELD",
            "field",
            "ecosystem type field of the plots",
            _("Ecosystem type field"),
            _(
                "Field with each plot's ecosystem type (forest, shrubland, grassland, cropland, wetland …), "
                "matched to the ecosystem table ignoring case."
            ),
        ),
        _t(
            "ECOSYSTEM",
            "raster",
            "ecosystem type raster",
            _("Ecosystem type raster (integer codes)"),
            _("Raster of ecosystem type codes (integers 0–999)."),
        ),
        _t(
            "CLIMATE_ZONE",
            "raster",
            "climate zone raster",
            _("Climate zone raster (integer codes)"),
            _("Raster of climate zone codes (integers, e.g. 1 arid, 2 semi-arid, 3 semi-humid)."),
        ),
        _t(
            "NPP_SURVEY",
            "raster",
            "NPP of the survey year",
            _("NPP of the survey year (raster)"),
            _("Net primary productivity in the year of the survey (any unit: only ratios are used)."),
        ),
        _t(
            "N_POINTS",
            "number",
            "number of augmented points",
            _("Number of random points"),
            _(
                "Points to add: a total split among the strata by area, or a number per stratum (see "
                "ALLOCATION)."
            ),
        ),
        _t(
            "FACTORS",
            "raster",
            "factor rasters for screening and training",
            _("Factor rasters (one single-band raster per factor, named after it)"),
            _(
                "One single-band raster per candidate factor (NPP, NDVI, AP, MAT, DEM …), all on one grid. A "
                "factor is named after its layer; a year in the name is dropped (NPP_2024 is the factor NPP)."
            ),
        ),
        _t(
            "STATIC_FACTORS",
            "raster",
            "static factor rasters for prediction",
            _("Static factors (single-band rasters named after the factor)"),
            _(
                "Factors that do not change over the years (e.g. DEM), one single-band raster each, named after "
                "the factor."
            ),
        ),
        _t(
            "YEARLY_FACTORS",
            "raster",
            "yearly factor rasters for prediction",
            _("Yearly factors (one stack per factor, or rasters named factor_year)"),
            _(
                "For each yearly factor, a multi-band stack named after the factor with the years in the band "
                "descriptions, or single-band rasters named factor_year (NPP_2001, NPP_2002 …)."
            ),
        ),
        _t(
            "SELECT_FACTORS",
            "string",
            "factors to use",
            _("Use only these factors (comma-separated names)"),
            _(
                "Factor names to use, e.g. the KEPT_FACTORS output of Factor correlation screening. Empty: all "
                "given factors."
            ),
        ),
        _t(
            "MAX_CORRELATION",
            "number",
            "collinearity threshold of the screening",
            _("Largest |r| between two kept factors"),
            _(
                "Of two factors whose Pearson |r| is above this value, the one less correlated with carbon "
                "density is dropped."
            ),
        ),
        _t(
            "MODEL",
            "file",
            "model file",
            _("Model file (.npz)"),
            _(
                "The carbon density model written by Train carbon density model: arrays only, checked by its "
                "SHA-256 checksum when read."
            ),
        ),
        _t(
            "MODEL_KIND",
            "enum",
            "model kind",
            _("Model kind"),
            _(
                "Random Forest (the paper's model), histogram gradient boosting (scikit-learn), XGBoost (needs "
                "the xgboost package), or compare all: each is cross-validated on the same folds and the one "
                "with the lowest cross-validated RMSE is kept."
            ),
        ),
        _t(
            "CV_SCHEME",
            "enum",
            "cross-validation folds",
            _("Cross-validation folds"),
            _(
                "How the training points are split into folds: at random (none spatial), by square spatial "
                "blocks, or by spatial clusters of the points (k-means on the coordinates). Spatial folds test "
                "the model away from its training plots, as a map uses it."
            ),
        ),
        _t(
            "CV_FOLDS",
            "number",
            "number of cross-validation folds",
            _("Number of cross-validation folds (k)"),
            _(
                "The training points are split into k folds; the model is refitted k times, each time without one fold."
            ),
        ),
        _t(
            "BLOCK_SIZE",
            "number",
            "side of the spatial blocks",
            _("Spatial block size (map units; 0 = automatic)"),
            _(
                "Side of the square blocks of spatial block folds, in the units of the factor rasters' CRS "
                "(e.g. metres). 0: the larger side of the points' bounding box / (2·⌈√k⌉). It must be smaller "
                "than the region of the points."
            ),
        ),
        _t(
            "INTERVAL_LEVEL",
            "number",
            "level of the prediction interval",
            _("Prediction interval level (0 = none)"),
            _(
                "Share of new plots the per-pixel prediction interval should contain, e.g. 0.9; calibrated on "
                "the cross-validation. 0: no interval."
            ),
        ),
        _t(
            "BOOTSTRAP_REPLICATES",
            "number",
            "bootstrap replicates of the model",
            _("Bootstrap replicates (gradient boosting)"),
            _(
                "Gradient boosting only: models refitted on bootstrap samples of the training points, stored "
                "in the model file for the confidence intervals of storage totals (0: none). A Random Forest "
                "needs none: each of its trees is already grown on a bootstrap sample."
            ),
        ),
        _t(
            "CONFIDENCE_LEVEL",
            "number",
            "level of the confidence intervals of totals",
            _("Confidence level of the storage intervals"),
            _("e.g. 0.9 for 90 % confidence intervals of the storage totals, mean densities and trends."),
        ),
        _t(
            "CARBON_DENSITY_LOWER",
            "raster",
            "lower bound of the carbon density prediction interval",
            _("Carbon density, lower bound of the prediction interval (t C/hm², one band per year)"),
            _("The lower bound of the per-pixel prediction interval at the model's interval level."),
        ),
        _t(
            "CARBON_DENSITY_UPPER",
            "raster",
            "upper bound of the carbon density prediction interval",
            _("Carbon density, upper bound of the prediction interval (t C/hm², one band per year)"),
            _("The upper bound of the per-pixel prediction interval at the model's interval level."),
        ),
        _t(
            "DISSIMILARITY_INDEX",
            "raster",
            "dissimilarity index",
            _("Dissimilarity index (one band per year)"),
            _(
                "Distance of each pixel's factors to the nearest training point in importance-weighted, "
                "standardised factor space, divided by the mean distance between training points "
                "(Meyer & Pebesma 2021)."
            ),
        ),
        _t(
            "AREA_OF_APPLICABILITY",
            "raster",
            "area of applicability",
            _("Area of applicability (1 inside, 0 outside; one band per year)"),
            _(
                "1 where the dissimilarity index is at most the threshold learnt from the cross-validation "
                "(the model was trained on similar factor values), 0 where the model extrapolates."
            ),
        ),
        _t(
            "IGNORE_EXTRA",
            "boolean",
            "ignore factor rasters the model does not use",
            _("Ignore given factors the model does not use (e.g. those screening dropped)"),
            _("Unticked, a factor raster the model does not use stops the run, naming it."),
        ),
        _t(
            "N_USED",
            "number",
            "points used",
            _("Points used"),
            _("Number of points with a carbon density and a value of every factor."),
        ),
        # ---- reporting regions and tables
        _t(
            "REGIONS_RASTER",
            "raster",
            "reporting regions as a raster",
            _("Reporting regions as a raster (integer codes)"),
            _(
                "Regions to total by (counties, land-use classes …) as integer codes on the grid of the stack; "
                "names from the raster's category names if it has them."
            ),
        ),
        _t(
            "REGIONS",
            "vector",
            "reporting regions as polygons",
            _("Reporting regions as polygons"),
            _("Polygons of the regions to total by, burnt onto the grid by pixel centre."),
        ),
        _t(
            "REGION_FIELD",
            "field",
            "region name field",
            _("Region name field"),
            _("Field of the region polygons that names each region."),
        ),
        _t(
            "CLASS_AREAS",
            "vector",
            "class-area table",
            _("Class areas"),
            _(
                "Table of the true (ellipsoidal) area of every class of the class raster, in hm² and per cent."
            ),
        ),
        _t(
            "REPORT",
            "file",
            "HTML report",
            _("Report (HTML)"),
            _(
                "A self-contained HTML page; the same report as data (JSON) is written beside it, with the same "
                "name and the extension .json. The study report reads that JSON."
            ),
        ),
        # ---- statistics settings
        _t(
            "ALPHA",
            "number",
            "significance level",
            _("Significance level α"),
            _("A result is significant when its p-value is below α."),
        ),
        _t(
            "SEED",
            "number",
            "random seed",
            _("Random seed"),
            _("The same seed and inputs give the same result."),
        ),
        _t(
            "MIN_VALID_PERCENT",
            "number",
            "minimum share of valid years",
            _("Minimum share of valid years per pixel (%)"),
            _(
                "A pixel with fewer valid (not nodata, not NaN) years than this share is nodata in every output; "
                "never fewer than 4 years."
            ),
        ),
        _t(
            "MEMORY_MB",
            "number",
            "memory budget",
            _("Memory budget per block (MB)"),
            _(
                "Rasters are read and written in windows sized to stay within this budget (GDAL's cache "
                "included). Results do not depend on it."
            ),
        ),
        # ---- data preparation (preparestack)
        _t(
            "SOURCES",
            "raster",
            "downloaded files of one variable",
            _("Source layers or files (GeoTIFF, netCDF variables, HDF subdatasets)"),
            _("The downloaded files of one variable, in any CRS and resolution; or give a folder."),
        ),
        _t(
            "FOLDER",
            "file",
            "folder of downloaded files",
            _("…or a folder of downloaded files"),
            _("Every file of the folder whose name matches the pattern."),
        ),
        _t(
            "PATTERN",
            "string",
            "file name pattern",
            _("File pattern in the folder (separated by ';')"),
            _("Shell patterns of the file names to take from the folder, e.g. *NPP*.tif;*.nc."),
        ),
        _t(
            "VARIABLE",
            "string",
            "variable name",
            _("Variable name (for the log and table)"),
            _("Names the variable in the log, the table and the band descriptions."),
        ),
        _t(
            "TIME_STEP",
            "enum",
            "time step of the sources",
            _("Time step of the inputs"),
            _(
                "0 yearly, 1 monthly to annual sum (precipitation), 2 monthly to annual mean (temperature), 3 "
                "static (one band, no year: DEM, soil …)."
            ),
        ),
        _t(
            "MIN_MONTHS",
            "number",
            "minimum valid months per year",
            _("Minimum of valid months per year (monthly time steps)"),
            _("A pixel with fewer valid months in a year is nodata that year."),
        ),
        _t(
            "RESAMPLING",
            "enum",
            "resampling method",
            _("Resampling (average or bilinear for continuous data, mode or nearest for classes)"),
            _("0 average (default), 1 bilinear, 2 cubic, 3 nearest, 4 mode, 5 sum, 6 min, 7 max."),
        ),
        _t(
            "SCALE",
            "number",
            "scale of stored values",
            _("Scale: value = stored × scale + offset"),
            _("e.g. 0.0001 for MODIS NPP in kg C/m². Empty: the raster's own scale."),
        ),
        _t(
            "OFFSET",
            "number",
            "offset of stored values",
            _("Offset (added after the scale)"),
            _("Empty: the raster's own offset."),
        ),
        _t(
            "VALID_MIN",
            "number",
            "smallest valid stored value",
            _("Smallest valid stored value"),
            _("Stored values below it are missing (before scale and offset), e.g. 0 for MODIS NPP."),
        ),
        _t(
            "VALID_MAX",
            "number",
            "largest valid stored value",
            _("Largest valid stored value"),
            _(
                "Stored values above it are missing (before scale and offset), e.g. 32700 for MODIS NPP, whose "
                "codes 32761–32767 are fill values."
            ),
        ),
        _t(
            "REFERENCE",
            "raster",
            "reference grid",
            _("Reference grid (a raster whose CRS, pixels and extent to take)"),
            _("Give the same reference to every variable of a study, so that all stacks share one grid."),
        ),
        _t(
            "TARGET_CRS",
            "crs",
            "CRS of the grid",
            _("…or the grid's CRS (empty: the first input's)"),
            _("Without a reference grid: the CRS of the stack."),
        ),
        _t(
            "PIXEL_SIZE",
            "number",
            "pixel size of the grid",
            _("Pixel size in the grid's CRS units (empty: the first input's)"),
            _(
                "Without a reference grid: the pixel size of the stack (the first input's only in its own CRS)."
            ),
        ),
        _t(
            "EXTENT",
            "extent",
            "extent of the grid",
            _("Grid extent (empty: the boundary's, else the inputs')"),
            _("Snapped outwards to multiples of the pixel size."),
        ),
        _t(
            "BOUNDARY",
            "vector",
            "study boundary",
            _("Study boundary (polygons; pixels outside are nodata)"),
            _("A pixel whose centre is outside the polygons is nodata in every band."),
        ),
        _t(
            "MASK",
            "raster",
            "class raster of the mask",
            _("Class raster for classes to leave out (e.g. land use)"),
            _("Taken to the grid by nearest neighbour; pixels of the classes to leave out are nodata."),
        ),
        _t(
            "MASK_CLASSES",
            "string",
            "classes to leave out",
            _("Classes to leave out (comma-separated codes)"),
            _(
                "Codes of the class raster whose pixels are nodata in every band, e.g. 13,17 (water, built-up)."
            ),
        ),
        _t(
            "STACK",
            "raster",
            "prepared stack",
            _("Aligned stack (one band per year)"),
            _("One band per year on the grid, the year as band description, masked."),
        ),
        _t(
            "PREPARATION_TABLE",
            "vector",
            "what was done to each input",
            _("What was done to each input"),
            _("One row per input band: date, source, CRS, pixel size, resampling, nodata, valid range."),
        ),
        # ---- data preparation of several variables in one run (preparestacks, the model from downloads)
        _t(
            "VARIABLES",
            "matrix",
            "table of variables to prepare",
            _(
                "Variables: name, files, time step, resampling, scale, offset, valid min/max, min months, nodata"
            ),
            _(
                "One row per variable: its name (the output file's), file patterns separated by ';' (a netCDF or "
                "HDF variable after ':', e.g. *.nc:pr), time step (yearly, monthly sum, monthly mean, static), "
                "resampling, scale, offset, valid min, valid max (stored values), minimum of valid months, "
                "nodata. Empty cells are detected; no table: every file's variables are detected."
            ),
        ),
        _t(
            "YEAR_RASTERS",
            "string",
            "years also written as single-band rasters",
            _("Years also written as single-band rasters VARIABLE_year.tif (e.g. the survey year)"),
            _(
                "Each yearly variable's band of these years, alone, e.g. 2024 for the factors of the survey year "
                "(NPP_2024 is the factor NPP), or 2001,2024. A variable without that year is said in the log."
            ),
        ),
        _t(
            "STACKS_FOLDER",
            "folder",
            "folder of the prepared stacks",
            _("Folder of the aligned stacks (one GeoTIFF per variable)"),
            _("VARIABLE.tif per variable, one band per year on the grid, and the single-year rasters."),
        ),
        _t(
            "STACKS_PATH",
            "string",
            "folder of the prepared stacks, as text",
            _("Folder of the aligned stacks (as text)"),
            _("The folder as text, for expressions in a model: @prepare_STACKS_PATH || '/NPP.tif'."),
        ),
        _t(
            "SURVEY_YEAR",
            "number",
            "year of the field survey",
            _("Survey year (the factors of this year train the carbon density model)"),
            _(
                "The year of the field plots: each yearly variable's band of this year (NPP_2024 …) is a factor "
                "the model is trained on, and NPP of this year scales the augmented samples."
            ),
        ),
        _t(
            "LANDUSE_START_YEAR",
            "number",
            "year of the land use at the start",
            _("Year of the land use at the start"),
            _("The band of this year of the prepared land use is the land use at the start."),
        ),
        _t(
            "LANDUSE_END_YEAR",
            "number",
            "year of the land use at the end",
            _("Year of the land use at the end"),
            _("The band of this year of the prepared land use is the land use at the end."),
        ),
        # ---- spatial autocorrelation (Global and Local Moran's I)
        _t(
            "INPUT_RASTER",
            "raster",
            "raster input of Moran's I",
            _("Raster"),
            _(
                "A raster band to analyse (e.g. the Sen slope of carbon density). Give this or a vector layer."
            ),
        ),
        _t("BAND", "band", "band of the raster input", _("Band of the raster"), _("Band to analyse.")),
        _t(
            "INPUT_VECTOR",
            "vector",
            "vector input of Moran's I",
            _("…or a vector layer (polygons or points)"),
            _("Polygons or points with a numeric field to analyse, instead of a raster."),
        ),
        _t(
            "VALUE_FIELD",
            "field",
            "value field of the vector input",
            _("Value field (numeric)"),
            _("Numeric field of the vector layer to analyse; features with NULL are left out."),
        ),
        _t(
            "WEIGHTS",
            "enum",
            "spatial weights",
            _("Spatial weights (rasters: queen or rook only)"),
            _(
                "Neighbours of each pixel or feature: queen (shared edge or corner), rook (shared edge), the k "
                "nearest neighbours or a distance band (points or polygon centroids). Row-standardised."
            ),
        ),
        _t(
            "K_NEIGHBOURS",
            "number",
            "k nearest neighbours",
            _("Number of nearest neighbours (k)"),
            _("k for the k-nearest-neighbours weights of a vector layer."),
        ),
        _t(
            "DISTANCE",
            "number",
            "distance band",
            _("Distance band threshold (layer units)"),
            _(
                "Neighbours within this distance (inclusive), in the layer's units, for distance-band weights."
            ),
        ),
        _t(
            "AGGREGATE",
            "number",
            "aggregation block",
            _("Aggregate to blocks of N × N pixels"),
            _(
                "Before the analysis, each block of N × N pixels becomes the mean of its valid pixels (outputs "
                "on that coarser grid). 1: no aggregation."
            ),
        ),
        _t(
            "PERMUTATIONS",
            "number",
            "permutations",
            _("Permutations"),
            _("Random permutations for the pseudo p-value."),
        ),
    )
}

# Terms the whole-study model shares with one algorithm (issue 14: the survey fields, the Hurst method and the
# LISA inference are model inputs too), labelled as that algorithm labels them.
_SOIL = {
    "SOC": "SOC (g/kg)",
    "BD": "bulk density (g/cm³)",
    "DEPTH": "thickness (cm)",
    "GRAVEL": "gravel volume fraction (0–1)",
}
TERMS.update(
    {
        t.name: t
        for t in (
            _t("TREE_PLOT_ID_FIELD", "field", "tree plot id field", _("Tree table: plot id field"),
               _("Field of the tree table with the plot id of each tree.")),
            _t("TREE_GROUP_FIELD", "field", "tree species group field", _("Tree table: species group field"),
               _("Field of the tree table with the species group of the allometric equation.")),
            _t("TREE_DBH_FIELD", "field", "tree DBH field", _("Tree table: DBH field (cm)"),
               _("Diameter at breast height in cm.")),
            _t("TREE_HEIGHT_FIELD", "field", "tree height field", _("Tree table: height field (m; needed for D2H equations)"),
               _("Tree height in m (for the D²H equations).")),
            *(
                _t(f"{part.upper()}_{kind}_FIELD", "field", f"{part} {what} field", _(label), _(label + "."))
                for part in ("shrub", "herb", "litter")
                for kind, what, label in (
                    ("FRESH", "fresh weight", f"{part.capitalize()} fresh weight per quadrat"),
                    ("RATIO", "dry/fresh ratio", f"{part.capitalize()} dry/fresh ratio"),
                )
            ),
            *(
                _t(f"{key}_{i}_FIELD", "field", f"soil layer {i} {key.lower()} field", _(f"Soil layer {i}: {text}"),
                   _(f"Soil layer {i}: field with the {text}."))
                for i in (1, 2, 3)
                for key, text in _SOIL.items()
            ),
            _t("HURST_METHOD", "enum", "Hurst method", _("Hurst method"),
               _("R/S slope (the paper's) or the Anis–Lloyd correction of its small-sample bias.")),
            _t("INFERENCE", "enum", "LISA inference", _("Inference"),
               _("How the local Moran's I is tested: analytical or conditional permutations.")),
        )
    }
)  # fmt: skip

# Names retired by the vocabulary (issue 12): no algorithm and no model may use them again.
OLD_NAMES = {
    "CARBON": "CARBON_DENSITY or CARBON_FIELD",
    "CARBON_STACK": "CARBON_DENSITY",
    "DENSITY": "CARBON_DENSITY",
    "CARBON_START": "CARBON_DENSITY_START",
    "CARBON_END": "CARBON_DENSITY_END",
    "CARBON_YEARS": "CARBON_DENSITY_YEARS",
    "TARGET": "CARBON_FIELD",
    "TREND": "TREND_CLASS",
    "FUTURE": "FUTURE_CLASS",
    "CLUSTER": "LISA_CLUSTER",
    "LISA": "LISA_CLUSTER",
    "DRIVER": "DRIVER_CLASS",
    "II": "LOCAL_I",
    "Z": "Z_SCORE",
    "P": "P_VALUE",
    "K": "K_NEIGHBOURS",
    "FIELD": "VALUE_FIELD",
    "SELECT": "SELECT_FACTORS",
    "KEEP": "KEPT_FACTORS",
    "THRESHOLD": "MAX_CORRELATION",
    "SCREEN_THRESHOLD": "MAX_CORRELATION",
    "CANDIDATE_FACTORS": "FACTORS",
    "FOLDS": "CV_FOLDS",
    "UNITS": "FACTOR_UNITS",
    "ZONES_RASTER": "REGIONS_RASTER",
    "ZONES_POLYGONS": "REGIONS",
    "ZONE_FIELD": "REGION_FIELD",
    "TABLE": "STORAGE_TABLE or MORAN_TABLE",
    "TRENDS": "STORAGE_TRENDS or CLIMATE_TRENDS",
    "SERIES": "CLIMATE_SERIES",
    "CLIMATE": "CLIMATE_ZONE",
    "PLOT_ID": "PLOT_ID_FIELD",
    "ECOSYSTEMS": "ECOSYSTEM_TABLE",
    "RANGES": "PLAUSIBLE_RANGES",
    "CLASSES": "LANDUSE_CLASSES",
}


def label(name):
    """The translated label of the vocabulary term ``name``."""
    return QCoreApplication.translate(CONTEXT, TERMS[name].label)


def help_text(name):
    """The translated help text of the vocabulary term ``name``."""
    return QCoreApplication.translate(CONTEXT, TERMS[name].help)


def with_help(param, text=None):
    """``param`` with its per-parameter help (the dialog's tooltip, docs/algorithms.html): ``text``, or the
    vocabulary's help when ``param`` is a term."""
    param.setHelp(text if text is not None else help_text(param.name()))
    return param
