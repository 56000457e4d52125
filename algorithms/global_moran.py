"""Global Moran's I of a raster band or of a vector layer field (docs/method.md, step 12)."""

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
    MORAN_TABLE = "MORAN_TABLE"
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
    TAGS = "moran,moran's i,global moran,spatial autocorrelation,clustering,permutation test"
    HELP = (
        """
Global spatial autocorrelation of a raster band (e.g. carbon density or its Sen slope) or of a numeric field
of a polygon or point layer: Moran's I with its expectation, variance, z and p under the normality and the
randomisation assumptions, and a permutation pseudo p-value (docs/method.md, step 12).

Formulas

  I = (n / S₀) · Σᵢ Σⱼ wᵢⱼ zᵢ zⱼ / Σᵢ zᵢ²,  E[I] = −1/(n − 1)
  normality: Var[I] = (n²S₁ − nS₂ + 3S₀²) / ((n² − 1)S₀²) − E[I]²
  randomisation: Var[I] = [n((n² − 3n + 3)S₁ − nS₂ + 3S₀²) − b₂((n² − n)S₁ − 2nS₂ + 6S₀²)] / ((n − 1)(n − 2)(n − 3)S₀²) − E[I]²
  z = (I − E[I]) / √Var[I],  p = 2Φ(−|z|)

z are the deviations from the mean of the n analysed values, S₀ = Σ wᵢⱼ (= n when row-standardised),
S₁ = ½ ΣΣ (wᵢⱼ + wⱼᵢ)², S₂ = Σ (row sum + column sum)², b₂ = m₄/m₂² (the kurtosis of z).

Permutation pseudo p (two-sided, folded): the values are permuted K times over the analysed units (default
999, seeded), and p = (1 + the number of permutations k with |Iₖ − Ī| ≥ |I − Ī|) / (K + 1), Ī the mean of the
K permuted I. The smallest attainable p is 1/(K + 1). The permutation test of a raster holds the grid in
memory; above the largest raster for it (advanced, default 250,000 analysed cells) P_SIM is the normal
approximation with the exact permutation mean and variance, i.e. P_RAND, and the log says so.
"""
        + inputs.WEIGHTS_HELP
        + """
Outputs

I, EI, VI_NORM, Z_NORM, P_NORM, VI_RAND, Z_RAND, P_RAND, P_SIM and N as numbers, a one-row table with them
and the run settings, and a line in the log. Rasters are read block by block, within the memory budget. The
results equal those of PySAL's esda Moran with libpysal weights built by the same rules.

References

Moran, P. A. P. (1950) Notes on continuous stochastic phenomena. Biometrika 37:17–23. Cliff, A. D. & Ord, J.
K. (1981) Spatial Processes: Models and Applications. Pion, London. Anselin, L. (1995) Local indicators of
spatial association — LISA. Geogr. Anal. 27:93–115. Rey, S. J. & Anselin, L. (2007) PySAL: a Python library
of spatial analytical methods. Rev. Reg. Stud. 37:5–27.
"""
    )

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        inputs.add_input_parameters(self)
        largest = QgsProcessingParameterNumber(
            self.MAX_PERMUTATION_CELLS,
            self.tr("Largest raster for the permutation test (analysed cells)"),
            QgsProcessingParameterNumber.Integer,
            moran_raster.GLOBAL_PERMUTATION_MAX_CELLS,
            minValue=0,
        )
        largest.setHelp(
            self.tr(
                "The permutation test of a raster holds the grid in memory; above this number of analysed "
                "cells P_SIM is the normal approximation with the permutation mean and variance (P_RAND)."
            )
        )
        self.addParameter(advanced(largest))
        engine.add_memory_parameter(self)
        engine.add_table_output(
            self,
            self.MORAN_TABLE,
            self.tr("Moran's I table"),
            self.tr("One row: input, weights, n, I and its moments, z and p values, permutations, seed."),
        )
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
        dest = vector_io.write_table(self, parameters, self.MORAN_TABLE, context, columns)
        if dest is not None:
            results[self.MORAN_TABLE] = dest
        return results
