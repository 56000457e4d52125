"""Global Moran's I of a raster band or of a vector layer field (METHOD.md step 12)."""

import numpy as np
from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterNumber,
)

from ..core.common.errors import naming
from ..core.spatial import moran, moran_raster
from .support import moran_inputs as inputs
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm, advanced


class GlobalMoran(CarbonSinkAlgorithm):
    TABLE = "TABLE"
    MAX_PERMUTATION_CELLS = "MAX_PERMUTATION_CELLS"
    NUMBERS = (
        ("I", "Moran's I"),
        ("EI", "E[I] = -1/(n-1)"),
        ("VI_NORM", "Var[I] under normality"),
        ("Z_NORM", "z under normality"),
        ("P_NORM", "p under normality (two-sided)"),
        ("VI_RAND", "Var[I] under randomisation"),
        ("Z_RAND", "z under randomisation"),
        ("P_RAND", "p under randomisation (two-sided)"),
        ("P_SIM", "Permutation pseudo p (two-sided, folded)"),
        ("N", "Observations analysed"),
    )

    NAME = "globalmoran"
    DISPLAY_NAME = "Global Moran's I"
    GROUP_ID = "spatial"
    REQUIRES = ("scipy",)
    HELP = (
        """
<p>Global spatial autocorrelation of a raster band (e.g. carbon density or its Sen slope) or of a numeric
field of a polygon or point layer: Moran's I with its expectation, variance, z and p under the normality
and randomisation assumptions, and a permutation pseudo p-value with a seed.</p>
<h3>Formulas</h3>
<p>I = (n / S<sub>0</sub>) · Σ<sub>i</sub>Σ<sub>j</sub> w<sub>ij</sub> z<sub>i</sub> z<sub>j</sub> / Σ z<sub>i</sub>²,
z = deviations from the mean of the n analysed values, S<sub>0</sub> = Σ w<sub>ij</sub> (= n, row-standardised);
E[I] = −1/(n − 1).<br>
Normality: Var = (n²S<sub>1</sub> − nS<sub>2</sub> + 3S<sub>0</sub>²) / ((n² − 1)S<sub>0</sub>²) − E[I]².<br>
Randomisation: Var = [n((n² − 3n + 3)S<sub>1</sub> − nS<sub>2</sub> + 3S<sub>0</sub>²) − b<sub>2</sub>((n² − n)S<sub>1</sub>
− 2nS<sub>2</sub> + 6S<sub>0</sub>²)] / ((n − 1)(n − 2)(n − 3)S<sub>0</sub>²) − E[I]², b<sub>2</sub> = m<sub>4</sub>/m<sub>2</sub>²,
with S<sub>1</sub> = ½ΣΣ(w<sub>ij</sub> + w<sub>ji</sub>)², S<sub>2</sub> = Σ(w<sub>i·</sub> + w<sub>·i</sub>)², computed
block-wise for the valid-neighbour weights of rasters. z = (I − E[I]) / √Var, p = 2Φ(−|z|).<br>
<b>Permutation pseudo p</b> (two-sided, folded): the values are permuted K times over the analysed units
(numpy Generator seeded with the seed), and p = (1 + #{k : |I<sub>k</sub> − Ī| ≥ |I − Ī|}) / (K + 1), Ī the
mean of the K permuted I (esda's <code>alternative="folded"</code>; esda 2.6's default <code>p_sim</code> is the
one-sided smaller tail, about half of this). The smallest attainable p is 1/(K + 1). The raster test
holds the grid in memory; above the "largest raster" setting (default 250,000 analysed cells, about 12 s
for 999 permutations here) p_sim is the normal approximation with the exact permutation mean and
variance, i.e. p_rand, and the log says so.</p>
"""
        + inputs.WEIGHTS_HELP
        + """
<h3>Outputs</h3>
<p>I, E[I], VI_NORM, Z_NORM, P_NORM, VI_RAND, Z_RAND, P_RAND, P_SIM and N as numbers, a one-row table with
them and the run settings, and a log line. Rasters are read block by block (memory bounded by the
budget); the results equal esda's <code>Moran</code> with libpysal weights built by the same rules (checked by
the tests on grids with nodata holes, and on polygon and point layers).</p>
<h3>References</h3>
<p>Moran, P. A. P. (1950) Biometrika 37:17–23. Cliff, A. D. &amp; Ord, J. K. (1981) Spatial Processes:
Models and Applications, Pion. Anselin, L. (1995) Geogr. Anal. 27:93–115. Rey, S. J. &amp; Anselin, L.
(2007) PySAL, Rev. Reg. Stud. 37:5–27.</p>
"""
    )

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        inputs.add_input_parameters(self)
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.MAX_PERMUTATION_CELLS,
                    self.tr(
                        "Largest raster for the permutation test (analysed cells; larger: normal approximation)"
                    ),
                    QgsProcessingParameterNumber.Integer,
                    moran_raster.GLOBAL_PERMUTATION_MAX_CELLS,
                    minValue=0,
                )
            )
        )
        engine.add_memory_parameter(self)
        engine.add_table_output(self, self.TABLE, self.tr("Moran's I table"))
        for name, description in self.NUMBERS:
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(description)))
        self.addOutput(QgsProcessingOutputString("P_SIM_METHOD", self.tr("How p_sim was obtained")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        ok, message = inputs.check_input_parameters(self, parameters, context)
        if not ok:
            return ok, message
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        permutations = self.parameterAsInt(parameters, inputs.PERMUTATIONS, context)
        seed = self.parameterAsInt(parameters, inputs.SEED, context)
        if inputs.input_given(parameters, inputs.INPUT_RASTER):
            result, label, weights_label = self._raster(parameters, context, feedback, permutations, seed)
        else:
            data, weights = inputs.read_vector_weights(self, parameters, context, feedback)
            with naming(self.tr("Layer '{}'").format(data.layer)):
                result = moran.global_moran_sparse(
                    data.values[weights.index],
                    weights.weights,
                    permutations,
                    seed,
                    is_cancelled=feedback.isCanceled,
                )
            label, weights_label = data.layer, weights.description
        return self._results(parameters, context, feedback, result, label, weights_label, seed)

    def _raster(self, parameters, context, feedback, permutations, seed):
        stack = inputs.raster_band(self, parameters, context)
        options = inputs.raster_options(self, parameters, context)
        res = moran_raster.global_moran_raster(
            stack,
            permutations=permutations,
            seed=seed,
            max_permutation_cells=self.parameterAsInt(parameters, self.MAX_PERMUTATION_CELLS, context),
            progress=feedback.setProgress,
            is_cancelled=feedback.isCanceled,
            **options,
        )
        label, contiguity, aggregate = stack.bands[0].layer, options["contiguity"], options["aggregate"]
        agg = f", aggregated {aggregate} × {aggregate}" if aggregate > 1 else ""
        feedback.pushInfo(
            self.tr(
                "'{}': {:,} valid cells{}; {:,} analysed with {} contiguity (row-standardised over valid "
                "neighbours); {:,} isolated (no valid neighbour), left out."
            ).format(label, res.n_valid, agg, res.moran.n, contiguity, res.n_isolated)
        )
        for note in res.notes:
            feedback.pushInfo(note)
        return res.moran, label, f"{contiguity} contiguity of pixels{agg}"

    def _results(self, parameters, context, feedback, r, label, weights_label, seed):
        feedback.pushInfo(
            self.tr(
                "Moran's I = {:.6g} (E[I] = {:.4g}); normality: z = {:.4g}, p = {:.4g}; randomisation: z = "
                "{:.4g}, p = {:.4g}; p_sim = {:.4g} ({}, {} permutations, seed {}); n = {:,}."
            ).format(
                r.I,
                r.EI,
                r.z_norm,
                r.p_norm,
                r.z_rand,
                r.p_rand,
                r.p_sim,
                r.p_sim_method,
                r.permutations,
                seed,
                r.n,
            )
        )
        values = {
            "I": r.I,
            "EI": r.EI,
            "VI_NORM": r.VI_norm,
            "Z_NORM": r.z_norm,
            "P_NORM": r.p_norm,
            "VI_RAND": r.VI_rand,
            "Z_RAND": r.z_rand,
            "P_RAND": r.p_rand,
            "P_SIM": r.p_sim,
            "N": r.n,
        }
        columns = {
            "input": np.array([label], dtype=object),
            "weights": np.array([weights_label], dtype=object),
            "n": np.array([r.n], dtype=np.int64),
            **{k.lower(): np.array([float(v)]) for k, v in values.items() if k != "N"},
            "p_sim_method": np.array([r.p_sim_method], dtype=object),
            "permutations": np.array([r.permutations], dtype=np.int64),
            "seed": np.array([seed], dtype=np.int64),
            "s0": np.array([r.S0]),
            "s1": np.array([r.S1]),
            "s2": np.array([r.S2]),
        }
        results = dict(values, P_SIM_METHOD=r.p_sim_method)
        dest = vector_io.write_table(self, parameters, self.TABLE, context, columns)
        if dest is not None:
            results[self.TABLE] = dest
        return results
