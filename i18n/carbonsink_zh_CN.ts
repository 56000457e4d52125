<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AugmentSamples</name>
    <message>
        <location filename="../algorithms/augment_samples.py" line="103"/>
        <source>The survey plots and the derived points, with their carbon density (t C/hm²).</source>
        <translation>调查样地及派生点及其碳密度（t C/hm²）。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="111"/>
        <source>Derived points</source>
        <translation>派生点</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="115"/>
        <source>Point layer of the survey plots with their carbon density (PLOT_CARBON of Plot carbon density).</source>
        <translation>带碳密度的调查样地点图层（“样地碳密度”的 PLOT_CARBON 输出）。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="146"/>
        <source>Stratum raster (integer codes)</source>
        <translation>分层栅格（整数编码）</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="149"/>
        <source>One raster of stratum codes; or give a climate zone and an ecosystem type raster.</source>
        <translation>一个分层编码栅格；或给出气候区栅格和生态系统类型栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="156"/>
        <source>Strata are climate zone × ecosystem type (instead of a stratum raster).</source>
        <translation>分层为气候区 × 生态系统类型（代替分层栅格）。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="170"/>
        <source>Number of random points is</source>
        <translation>随机点数量为</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="170"/>
        <source>a total, split by stratum area</source>
        <translation>总数，按分层面积分配</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="170"/>
        <source>per stratum</source>
        <translation>每个分层的数量</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="176"/>
        <source>A total split among the strata by their true area, or a number per stratum.</source>
        <translation>按各分层真实面积分配的总数，或每个分层一个数量。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="193"/>
        <source>Minimum spacing between points (m)</source>
        <translation>点之间的最小间距（m）</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="200"/>
        <source>A point closer than this to another point or to a plot is drawn again.</source>
        <translation>与其他点或样地距离小于此值的点将重新抽取。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="223"/>
        <source>Give either a stratum raster, or a climate zone and an ecosystem type raster — not both.</source>
        <translation>请给出分层栅格，或给出气候区栅格和生态系统类型栅格——不能同时给出。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="227"/>
        <source>Give a stratum raster, or both a climate zone raster and an ecosystem type raster.</source>
        <translation>请给出分层栅格，或同时给出气候区栅格和生态系统类型栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="233"/>
        <source>NPP</source>
        <translation>NPP</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="234"/>
        <source>Stratum</source>
        <translation>分层</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="235"/>
        <source>Climate zone</source>
        <translation>气候区</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="238"/>
        <source>Ecosystem type</source>
        <translation>生态系统类型</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="246"/>
        <source>Counting the pixels of every stratum and drawing the points…</source>
        <translation>正在统计各分层的像元并抽取随机点…</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="279"/>
        <source>Layer &apos;{}&apos; has no plots</source>
        <translation>图层“{}”没有样地</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="295"/>
        <source>Layer &apos;{}&apos;, plot {}: {}; not used for the stratum means.</source>
        <translation>图层“{}”，样地 {}：{}；不参与分层均值计算。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="300"/>
        <source>{:,} of {:,} plots are used for the stratum means.</source>
        <translation>{:,} 个样地（共 {:,} 个）参与分层均值计算。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="310"/>
        <source>{} (climate zone {}, ecosystem {})</source>
        <translation>{}（气候区 {}，生态系统 {}）</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="314"/>
        <source>Stratum {}: the mean NPP of its plots is not positive; it gets no points.</source>
        <translation>分层 {}：其样地的平均 NPP 不为正；该层不生成点。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="320"/>
        <source>Strata with measured plots:</source>
        <translation>有实测样地的分层：</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="331"/>
        <source>{} stratum/strata have no measured plot and get no points ({:.1f} % of the stratified area):</source>
        <translation>{} 个分层没有实测样地，不生成点（占分层面积的 {:.1f} %）：</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="340"/>
        <source>Stratum {}: {}</source>
        <translation>分层 {}：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="341"/>
        <source>{:,} derived points in {} strata ({} draw round(s)); {:,} measured plots.</source>
        <translation>{1} 个分层中共 {0:,} 个派生点（抽取 {2} 轮）；实测样地 {3:,} 个。</translation>
    </message>
    <message>
        <location filename="../algorithms/augment_samples.py" line="380"/>
        <source>Could not write point {} to the output</source>
        <translation>无法将点 {} 写入输出</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="2"/>
        <source>Augment samples by NPP ratio</source>
        <translation>按 NPP 比值扩充样本</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="3"/>
        <source>sample augmentation,npp ratio,random points,stratified sampling,strata,samples</source>
        <translation>sample augmentation,npp ratio,random points,stratified sampling,strata,samples,样本扩充,NPP 比值,随机点,分层抽样,分层,样本</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="4"/>
        <source>
Adds random points to the survey plots, inside each stratum (a climate zone × ecosystem type), and gives
each one a carbon density transferred from the plots of its stratum by the ratio of NPP (docs/method.md,
step 2):

  Cᵣ = C̄ₛ × NPPᵣ / NPP̄ₛ

where C̄ₛ and NPP̄ₛ are the mean carbon density and the mean NPP (sampled at the plots) of the survey plots
in stratum s. The output holds the survey plots and the derived points, with the fields plot_id,
carbon_density (t C/hm²), source (&quot;measured&quot; or &quot;derived&quot;), stratum and npp (and climate_zone,
ecosystem_type when the strata are combined): the sample points of factor screening and of the carbon
density model.

Strata

Either one stratum raster of integer codes, or a climate zone raster and an ecosystem type raster of
integer codes: the stratum is then climate zone × 1000 + ecosystem type (ecosystem codes 0–999), e.g. zone 2
and type 3 give 2003. All rasters (strata and NPP) must be on one grid; nothing is resampled. A pixel belongs
to a stratum when every stratum raster and the NPP raster have a value there and NPP is positive.

Points

The number of random points (default 400) is either a total, split among the strata that have survey plots
in proportion to their true area (largest remainder method, so the counts add up to the total), or a number
per stratum. Strata without any survey plot get no points, and the log lists them with their area. Points
are pixel centres drawn uniformly without replacement among each stratum's pixels; a point closer than the
minimum spacing (default 500 m; on a geographic CRS measured on the sphere) to another point or to a survey
plot is rejected and drawn again. A stratum too small for its points at that spacing gets fewer, and the log
says so. The same seed gives the same points. The rasters are read block by block, so rasters of any size
can be used.

Plots

Plots are transformed to the rasters' CRS. Plots outside the rasters, on nodata, or without a carbon density
are listed in the log (by the plot id field if given, else by feature id), kept in the output as measured
points, and left out of the stratum means.

References

Bao, Y. et al. (2026) Spatiotemporal changes and potential diagnostic zoning of ecosystem carbon sinks in
Ningxia. Arid Land Geography 49(4):740–755.
</source>
        <translation>
在每个分层（气候区 × 生态系统类型）内向调查样地中添加随机点，并按 NPP 比值将该层样地的碳密度传递给每个点（docs/method.md，第 2 步）：

  Cᵣ = C̄ₛ × NPPᵣ / NPP̄ₛ

其中 C̄ₛ 和 NPP̄ₛ 为分层 s 中调查样地的平均碳密度和平均 NPP（在样地处采样）。输出包含调查样地和派生点，字段为 plot_id、carbon_density（t C/hm²）、source（&quot;measured&quot; 或 &quot;derived&quot;）、stratum 和 npp（分层由两者组合时另有 climate_zone、ecosystem_type）：即因子筛选和碳密度模型的样本点。

分层

可以是一个整数编码的分层栅格，也可以是整数编码的气候区栅格和生态系统类型栅格：此时分层为 气候区 × 1000 + 生态系统类型（生态系统编码 0–999），例如气候区 2、类型 3 得到 2003。所有栅格（分层和 NPP）必须位于同一格网；不做任何重采样。当每个分层栅格和 NPP 栅格在某像元都有值且 NPP 为正时，该像元属于一个分层。

随机点

随机点数量（默认 400）可以是总数，按有调查样地的各分层的真实面积比例分配（最大余数法，使各层数量之和等于总数），也可以是每层一个数量。没有任何调查样地的分层不生成点，日志会列出这些分层及其面积。点为在各分层像元中无放回均匀抽取的像元中心；与其他点或调查样地的距离小于最小间距（默认 500 m；地理坐标系下按球面量算）的点被拒绝并重新抽取。分层面积过小、按该间距容纳不下其点数时点数会减少，日志会予以说明。相同的随机种子得到相同的点。栅格逐块读取，因此可以使用任意大小的栅格。

样地

样地被转换到栅格的坐标参考系。位于栅格之外、位于无数据处或没有碳密度的样地会在日志中列出（若给出样地编号字段则按编号，否则按要素编号），作为实测点保留在输出中，但不参与分层均值计算。

参考文献

Bao, Y. et al. (2026) Spatiotemporal changes and potential diagnostic zoning of ecosystem carbon sinks in Ningxia. Arid Land Geography 49(4):740–755.
</translation>
    </message>
</context>
<context>
    <name>CarbonSinkAlgorithm</name>
    <message>
        <location filename="../algorithms/support/base.py" line="144"/>
        <source>This algorithm needs the Python package(s) {}, which QGIS&apos;s Python cannot import. {}</source>
        <translation>此算法需要 Python 包 {}，但 QGIS 的 Python 无法导入。{}</translation>
    </message>
    <message>
        <location filename="../algorithms/support/base.py" line="170"/>
        <source>{}: finished in {:.1f} s</source>
        <translation>{}：用时 {:.1f} 秒</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="81"/>
        <source>1 · Data preparation</source>
        <translation>1 · 数据准备</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="82"/>
        <source>2 · Carbon density model</source>
        <translation>2 · 碳密度模型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="83"/>
        <source>3 · Trends and persistence</source>
        <translation>3 · 趋势与持续性</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="84"/>
        <source>4 · Climate and land-use drivers</source>
        <translation>4 · 气候与土地利用驱动</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="85"/>
        <source>5 · Spatial pattern</source>
        <translation>5 · 空间格局</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="86"/>
        <source>6 · Diagnostic zoning</source>
        <translation>6 · 诊断分区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="87"/>
        <source>7 · Whole study and report</source>
        <translation>7 · 整体研究与报告</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="88"/>
        <source>8 · Beyond one machine</source>
        <translation>8 · 分布式计算</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="89"/>
        <source>9 · Demo data</source>
        <translation>9 · 示例数据</translation>
    </message>
</context>
<context>
    <name>CarbonSinkProvider</name>
    <message>
        <location filename="../provider.py" line="195"/>
        <source>Carbon Sink Diagnostics</source>
        <translation>碳汇诊断</translation>
    </message>
</context>
<context>
    <name>CarbonStorage</name>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="144"/>
        <source>Storage per year</source>
        <translation>逐年碳储量</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="153"/>
        <source>Storage and density trends</source>
        <translation>碳储量与碳密度趋势</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="163"/>
        <source>Total storage trend (t C/a)</source>
        <translation>总碳储量趋势（t C/a）</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="164"/>
        <source>Mean density trend (t C/hm²/a)</source>
        <translation>平均碳密度趋势（t C/hm²/a）</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="172"/>
        <source>Pixels left out for a negative density in some year</source>
        <translation>因某年碳密度为负而剔除的像元</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="229"/>
        <source>Give the reporting regions either as a raster or as polygons, not both.</source>
        <translation>统计区域请以栅格或多边形之一给出，不能同时给出。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="231"/>
        <source>Choose the region name field of the region polygons.</source>
        <translation>请选择区域多边形的区域名称字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="261"/>
        <source>Reporting regions</source>
        <translation>统计区域</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="260"/>
        <source>{} regions rasterised from &apos;{}&apos;</source>
        <translation>已从“{1}”栅格化 {0} 个区域</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="264"/>
        <source>Carbon density stack</source>
        <translation>碳密度时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="321"/>
        <source>{:,} pixels of '{}' have a negative carbon density in at least one year (lowest {:.4g} t C/hm²). A density cannot be negative: they are nodata in the storage stack and left out of every total. If many pixels are negative, check that the input is a carbon density stack (t C/hm²).</source>
        <translation>“{1}”中有 {0:,} 个像元至少在某一年碳密度为负（最低 {2:.4g} t C/hm²）。碳密度不能为负：这些像元在碳储量时序栅格中为无数据，且不计入任何合计。若大量像元为负，请检查输入是否为碳密度时序栅格（t C/hm²）。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="330"/>
        <source> ({:,} pixels have a negative density)</source>
        <translation>（{:,} 个像元碳密度为负）</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="413"/>
        <source>&apos;{}&apos;: no pixel has a valid, non-negative carbon density in every one of the {} years{}</source>
        <translation>“{}”：没有像元在全部 {} 年中都具有有效且非负的碳密度{}</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="413"/>
        <source> (every complete pixel has a negative density in some year: is this a carbon density stack in t C/hm²?)</source>
        <translation>（每个完整像元都在某年碳密度为负：这是以 t C/hm² 为单位的碳密度时序栅格吗？）</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="460"/>
        <source>{:,} pixels with a valid density in all {} years ({:,.1f} hm²); {:,} pixels left out{}.</source>
        <translation>{:,} 个像元在全部 {} 年中碳密度有效（{:,.1f} hm²）；剔除 {:,} 个像元{}。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="460"/>
        <source> ({:,} of them for a negative density)</source>
        <translation>（其中 {:,} 个因碳密度为负）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="5"/>
        <source>Carbon storage accounting</source>
        <translation>碳储量核算</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="144"/>
        <source>Per region, part (all, inside / outside the area of applicability) and year: storage (t C) and mean density (t C/hm²) with their confidence intervals, area (hm²).</source>
        <translation>按区域、部分（全部、适用域内 / 适用域外）和年份：碳储量（t C）和平均碳密度（t C/hm²）及其置信区间、面积（hm²）。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="153"/>
        <source>Per region and part: least-squares slope with its confidence interval, intercept, R², p and n of total storage and mean density.</source>
        <translation>按区域和部分：总碳储量与平均碳密度的最小二乘斜率及其置信区间、截距、R²、p 和 n。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="180"/>
        <source>The model that predicted the density, for confidence intervals (optional).</source>
        <translation>预测该碳密度的模型，用于置信区间（可选）。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="237"/>
        <source>MODEL is given: give its factor rasters too (STATIC_FACTORS and/or YEARLY_FACTORS), as for the prediction, for the confidence intervals.</source>
        <translation>已给出 MODEL：请同时给出其因子栅格（STATIC_FACTORS 和/或 YEARLY_FACTORS），与预测时相同，用于置信区间。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="242"/>
        <source>Factor rasters are given but no MODEL: give the model file that predicted the density.</source>
        <translation>给出了因子栅格但没有 MODEL：请给出预测该碳密度的模型文件。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="345"/>
        <source>{}: model &apos;{}&apos; has no bootstrap replicates for confidence intervals. Retrain it with BOOTSTRAP_REPLICATES of 2 or more (gradient boosting) or with at least 2 trees, or leave MODEL empty for totals without intervals.</source>
        <translation>{}：模型“{}”没有用于置信区间的自助法重复。请以 2 或更大的 BOOTSTRAP_REPLICATES（梯度提升）或至少 2 棵树重新训练，或将 MODEL 留空以得到不带区间的合计。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="363"/>
        <source>{}: the yearly factors&apos; years {} are not those of the density stack ({})</source>
        <translation>{}：逐年因子的年份 {} 与碳密度时序栅格的年份（{}）不一致</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="369"/>
        <source>Confidence intervals from the {} bootstrap replicates of model &apos;{}&apos; ({}).</source>
        <translation>置信区间由模型“{1}”的 {0} 个自助法重复得出（{2}）。</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="387"/>
        <source>Area of applicability &apos;{}&apos;</source>
        <translation>适用域“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="390"/>
        <source>{}: {} has {} bands; one band, or one per year of the density stack ({}), expected</source>
        <translation>{}：{} 有 {} 个波段；应为一个波段，或碳密度时序栅格的每年一个波段（{}）</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="478"/>
        <source>, {:.0%} CI {:+,.4g} … {:+,.4g}</source>
        <translation>，{:.0%} 置信区间 {:+,.4g} … {:+,.4g}</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="481"/>
        <source>{} ({}): {} trend {:+,.4g} {}{} (R² {:.3f}, p {:.3g})</source>
        <translation>{}（{}）：{} 趋势 {:+,.4g} {}{}（R² {:.3f}，p {:.3g}）</translation>
    </message>
    <message>
        <location filename="../algorithms/carbon_storage.py" line="500"/>
        <source>{}: {:,.1f} hm² ({:.1%} of the area), storage {:,.6g} t C in {}</source>
        <translation>{0}：{1:,.1f} hm²（占面积的 {2:.1%}），{4} 年碳储量 {3:,.6g} t C</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="6"/>
        <source>carbon storage,carbon stock,total storage,mean density,storage trend,accounting,uncertainty,confidence interval,bootstrap,area of applicability</source>
        <translation>carbon storage,carbon stock,total storage,mean density,storage trend,accounting,uncertainty,confidence interval,bootstrap,area of applicability,碳储量,碳库,总碳储量,平均碳密度,碳储量趋势,核算,不确定性,置信区间,自助法,适用域</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="7"/>
        <source>
Carbon storage from a yearly carbon density stack (docs/method.md, step 5): a storage stack (t C per pixel),
the total storage and the area-weighted mean density of every year, optionally per reporting region (a
raster of region codes, e.g. land use or counties, or polygons), and the least-squares trend of both with R²
and p, in tables and an HTML report with a chart.

Formulas

  storage of a pixel (t C) = carbon density (t C/hm²) × true pixel area (hm²)
  total storage of a year = Σ storage;  mean density = total storage / total area
  trend = least-squares slope over the years (t C/a and t C/hm²/a), with R² and the t test of the slope (n − 2 degrees of freedom)

The pixel area is the area of the pixel on the ellipsoid of the raster's CRS, for every CRS (on Web Mercator
or UTM the map area of a pixel is not its true area; on a geographic CRS it is never degrees²). A raster
without a CRS stops the run.

Data

Only pixels with a valid density in every year are counted, so every yearly total covers the same area; the
number of pixels left out is reported. A carbon density cannot be negative: a pixel with a negative density in
any year is nodata in the storage stack and left out of every total; such pixels are counted (NEGATIVE_PIXELS)
and reported in a warning with the lowest value found (many of them mean the input is not a carbon density).
A stack with no pixel valid and non-negative in every year is refused before any output is written.
Reporting regions: codes of a region raster on the same grid (names from its category names when it has
them), or polygons burnt onto the grid by pixel centre; the tables then hold all regions together first,
then each region.

Confidence intervals (optional: give the model and its factor rasters)

With the model file that predicted the density and the same factor rasters (as for &quot;Predict annual carbon
density&quot;; the years are those of the density stack), every total, mean density and trend gets a confidence
interval at the confidence level (default 0.9) from the model's bootstrap replicates: the trees of a Random
Forest (each grown on a bootstrap sample of the plots, so each is a model refitted on resampled plots) or the
bootstrap replicates a gradient-boosting model was trained with (BOOTSTRAP_REPLICATES of the training). Each
replicate's totals are summed over the same pixels as the estimate in the same pass:

  SE = standard deviation of the replicates' totals (or trend slopes);  interval = estimate ± z·SE,
  z = Φ⁻¹((1 + level)/2)

The interval shows how the totals would vary had other plots been sampled; it does not contain a bias of the
model, nor errors of the plot measurements or of the factor rasters. Pixels with a missing factor in some
year are left out, as the prediction leaves them out. The replicates are fixed when the model is trained
(with its seed), so the intervals need no seed here; a model with fewer than 2 replicates stops the run.

Area of applicability (optional)

With the AREA_OF_APPLICABILITY output of the prediction (1 inside, 0 outside, one band per year), the
tables give every total also for the pixels inside the area of applicability in every year and for the
others (column aoa: all, inside AOA, outside AOA).

References

Efron, B. &amp; Tibshirani, R. J. (1993) An Introduction to the Bootstrap. Chapman &amp; Hall. Meyer, H. &amp;
Pebesma, E. (2021) Methods in Ecology and Evolution 12:1620–1633. IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 4: Agriculture, Forestry and Other Land
Use. IGES, Hayama.
</source>
        <translation>
由逐年碳密度时序栅格计算碳储量（docs/method.md，第 5 步）：碳储量时序栅格（每像元 t C）、逐年总碳储量和面积加权平均碳密度，可按统计区域分别计算（区域编码栅格，如土地利用或县，或多边形），以及二者的最小二乘趋势及 R² 和 p，输出为表格和带图表的 HTML 报告。

公式

  像元碳储量（t C）= 碳密度（t C/hm²）× 像元真实面积（hm²）
  某年总碳储量 = Σ 碳储量；平均碳密度 = 总碳储量 / 总面积
  趋势 = 各年份上的最小二乘斜率（t C/a 和 t C/hm²/a），附 R² 及斜率的 t 检验（自由度 n − 2）

像元面积为像元在栅格坐标参考系椭球面上的面积，适用于任何坐标参考系（在 Web Mercator 或 UTM 上像元的图面面积并非其真实面积；在地理坐标系上绝不会是“度²”）。没有坐标参考系的栅格会使运行中止。

数据

只统计每年碳密度都有效的像元，因此各年合计覆盖相同的面积；剔除的像元数会被报告。碳密度不能为负：任何一年碳密度为负的像元在碳储量时序栅格中为无数据，且不计入任何合计；这些像元会被计数（NEGATIVE_PIXELS），并在警告中给出发现的最低值（数量很多说明输入并非碳密度）。没有任何像元在每年都有效且非负的时序栅格会在写出任何输出之前被拒绝。统计区域：同一格网上区域栅格的编码（若有类别名称则取作区域名称），或按像元中心栅格化到格网上的多边形；此时表格先列全部区域的合计，再列各区域。

置信区间（可选：给出模型及其因子栅格）

给出预测该碳密度的模型文件和相同的因子栅格（与“预测逐年碳密度”相同；年份为碳密度时序栅格的年份）时，每个合计、平均碳密度和趋势都按置信水平（默认 0.9）由模型的自助法重复得到置信区间：随机森林的各棵树（每棵树在样地的一个自助样本上生长，因此每棵树都是在重抽样样地上重新拟合的模型），或梯度提升模型训练时生成的自助法重复（训练的 BOOTSTRAP_REPLICATES）。每个重复的合计在同一遍计算中对与估计值相同的像元求和：

  SE = 各重复合计（或趋势斜率）的标准差；区间 = 估计值 ± z·SE，
  z = Φ⁻¹((1 + 置信水平)/2)

该区间表示若抽取其他样地，合计会如何变化；它不包含模型的偏差，也不包含样地测量或因子栅格的误差。某年缺少因子的像元被剔除，与预测时的处理相同。自助法重复在模型训练时（以其随机种子）即已确定，因此这里的区间不需要随机种子；重复少于 2 个的模型会使运行中止。

适用域（可选）

给出预测的 AREA_OF_APPLICABILITY 输出（1 为域内，0 为域外，每年一个波段）时，表格还分别给出每年都位于适用域内的像元和其余像元的各项合计（aoa 列：all 全部、inside AOA 适用域内、outside AOA 适用域外）。

参考文献

Efron, B. &amp; Tibshirani, R. J. (1993) An Introduction to the Bootstrap. Chapman &amp; Hall. Meyer, H. &amp; Pebesma, E. (2021) Methods in Ecology and Evolution 12:1620–1633. IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 4: Agriculture, Forestry and Other Land Use. IGES, Hayama.
</translation>
    </message>
</context>
<context>
    <name>Classes</name>
    <message>
        <location filename="../build/i18n/extracted.py" line="385"/>
        <source>Stable / other</source>
        <translation>稳定/其他区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="386"/>
        <source>High-priority carbon sink</source>
        <translation>碳汇优先保护区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="387"/>
        <source>Potential enhancement</source>
        <translation>潜在提升区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="388"/>
        <source>Restoration priority</source>
        <translation>优先修复区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="389"/>
        <source>Watch: future degradation</source>
        <translation>预警区：未来退化</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="390"/>
        <source>Sen + Mann-Kendall trend</source>
        <translation>Sen + Mann–Kendall 趋势</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="391"/>
        <source>Significant decrease</source>
        <translation>显著减少</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="392"/>
        <source>No significant change</source>
        <translation>无显著变化</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="393"/>
        <source>Significant increase</source>
        <translation>显著增加</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="394"/>
        <source>Sen + Mann-Kendall trend (five classes)</source>
        <translation>Sen + Mann–Kendall 趋势（五类）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="395"/>
        <source>Extremely significant decrease</source>
        <translation>极显著减少</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="396"/>
        <source>Extremely significant increase</source>
        <translation>极显著增加</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="397"/>
        <source>Future trend (Sen slope x Hurst)</source>
        <translation>未来趋势（Sen 斜率 × Hurst 指数）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="398"/>
        <source>Continuous improvement</source>
        <translation>持续改善</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="399"/>
        <source>Future degradation</source>
        <translation>未来退化</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="400"/>
        <source>Future improvement</source>
        <translation>未来改善</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="401"/>
        <source>Continuous degradation</source>
        <translation>持续退化</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="402"/>
        <source>Undetermined</source>
        <translation>无法确定</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="403"/>
        <source>Future trend (Sen slope x Hurst x significance)</source>
        <translation>未来趋势（Sen 斜率 × Hurst 指数 × 显著性）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="404"/>
        <source>Continuous improvement, significant</source>
        <translation>持续改善，显著</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="405"/>
        <source>Continuous improvement, not significant</source>
        <translation>持续改善，不显著</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="406"/>
        <source>Future degradation, from significant increase</source>
        <translation>未来退化，由显著增加转变</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="407"/>
        <source>Future degradation, from non-significant increase</source>
        <translation>未来退化，由不显著增加转变</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="408"/>
        <source>Future improvement, from non-significant decrease</source>
        <translation>未来改善，由不显著减少转变</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="409"/>
        <source>Future improvement, from significant decrease</source>
        <translation>未来改善，由显著减少转变</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="410"/>
        <source>Continuous degradation, not significant</source>
        <translation>持续退化，不显著</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="411"/>
        <source>Continuous degradation, significant</source>
        <translation>持续退化，显著</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="412"/>
        <source>Coefficient of variation (stability)</source>
        <translation>变异系数（稳定性）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="413"/>
        <source>Low fluctuation</source>
        <translation>低波动</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="414"/>
        <source>Relatively low fluctuation</source>
        <translation>较低波动</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="415"/>
        <source>Medium fluctuation</source>
        <translation>中等波动</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="416"/>
        <source>Relatively high fluctuation</source>
        <translation>较高波动</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="417"/>
        <source>High fluctuation</source>
        <translation>高波动</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="418"/>
        <source>LISA cluster (Local Moran&apos;s I)</source>
        <translation>LISA 聚集（局部莫兰指数）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="419"/>
        <source>High-High</source>
        <translation>高–高聚集</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="420"/>
        <source>Low-Low</source>
        <translation>低–低聚集</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="421"/>
        <source>High-Low</source>
        <translation>高–低异常</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="422"/>
        <source>Low-High</source>
        <translation>低–高异常</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="423"/>
        <source>Not significant</source>
        <translation>不显著</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="424"/>
        <source>Isolated (no valid neighbour)</source>
        <translation>孤立（无有效邻域）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="425"/>
        <source>LISA quadrant (sign of z and of its spatial lag)</source>
        <translation>LISA 象限（z 及其空间滞后的符号）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="426"/>
        <source>LISA cluster</source>
        <translation>LISA 聚集</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="427"/>
        <source>Climate driver type</source>
        <translation>气候驱动类型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="428"/>
        <source>Temperature and precipitation co-driven</source>
        <translation>温度降水共同驱动型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="429"/>
        <source>Temperature-driven</source>
        <translation>温度驱动型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="430"/>
        <source>Precipitation-driven</source>
        <translation>降水驱动型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="431"/>
        <source>Climate-driven, weak</source>
        <translation>弱气候驱动型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="432"/>
        <source>Not climate-driven</source>
        <translation>非气候驱动型</translation>
    </message>
</context>
<context>
    <name>ClimatePartialCorrelation</name>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="99"/>
        <source>Additional controls (each layer one multi-band stack, years in band descriptions)</source>
        <translation>附加控制变量（每个图层为一个多波段时序栅格，年份在波段描述中）</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="105"/>
        <source>Further yearly variables (e.g. an aridity index, radiation) that every partial correlation also controls for.</source>
        <translation>其他逐年变量（如干燥度指数、辐射），每个偏相关都对其加以控制。</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="149"/>
        <source>Partial r with each additional control (a band per control)</source>
        <translation>与各附加控制变量的偏相关系数 r（每个控制变量一个波段）</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="149"/>
        <source>One band per additional control, in the order given.</source>
        <translation>每个附加控制变量一个波段，按给出的顺序。</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="156"/>
        <source>p-values of the partial r with each additional control</source>
        <translation>与各附加控制变量偏相关系数 r 的 p 值</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="156"/>
        <source>One band per additional control, two-sided.</source>
        <translation>每个附加控制变量一个波段，双侧检验。</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="170"/>
        <source>Additional control &apos;{}&apos; has {} band; each additional control must be one multi-band raster with a band per year (years in the band descriptions).</source>
        <translation>附加控制变量“{}”有 {} 个波段；每个附加控制变量必须是一个每年一个波段的多波段栅格（年份在波段描述中）。</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="176"/>
        <source>Additional control &apos;{}&apos;</source>
        <translation>附加控制变量“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="257"/>
        <source>the carbon density stack</source>
        <translation>碳密度时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="192"/>
        <source>{} (&apos;{}&apos;): years {} are not in the carbon density stack and are ignored.</source>
        <translation>{}（“{}”）：年份 {} 不在碳密度时序栅格中，已忽略。</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="199"/>
        <source>Carbon density stack</source>
        <translation>碳密度时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="211"/>
        <source>&apos;{}&apos;: {} years; partial correlation with {} climate variables needs at least {} years.</source>
        <translation>“{}”：{} 年；与 {} 个气候变量的偏相关至少需要 {} 年。</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="219"/>
        <source>{} years ({}); {} explanatory variables ({}); a pixel needs {} years valid in all of them; α = {:g}</source>
        <translation>{} 年（{}）；{} 个解释变量（{}）；像元需在全部变量中有 {} 个有效年份；α = {:g}</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="252"/>
        <source>Temperature stack</source>
        <translation>气温时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="252"/>
        <source>Precipitation stack</source>
        <translation>降水时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/climate_partial_correlation.py" line="285"/>
        <source>No additional control given: the control outputs are not written.</source>
        <translation>未给出附加控制变量：不写出控制变量输出。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="8"/>
        <source>Climate partial correlation and driver types</source>
        <translation>气候偏相关与驱动类型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="9"/>
        <source>partial correlation,climate driver,driver type,temperature,precipitation,f test,multiple correlation</source>
        <translation>partial correlation,climate driver,driver type,temperature,precipitation,f test,multiple correlation,偏相关,气候驱动,驱动类型,气温,降水,F 检验,复相关</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="10"/>
        <source>
Per pixel, the partial correlation of a yearly carbon density series with temperature and with
precipitation of the same years, each controlling for the other (and for any additional controls), their t
tests, the multiple correlation with its F test, and a driver type raster with the area of each type
(docs/method.md, step 10).

Formulas

Over the n years valid in every variable of the pixel, with Pearson r (y carbon density, 1 temperature,
2 precipitation):

  partial correlation: r(y1·2) = (r(y1) − r(y2) r(12)) / √((1 − r(y2)²)(1 − r(12)²))
  t test: t = r √(n − k − 2) / √(1 − r²), df = n − k − 2, two-sided p
  multiple correlation: R(y·12) = √(1 − (1 − r(y1)²)(1 − r(y2·1)²))
  F test: F = R² / (1 − R²) · (n − m − 1) / m, p from F(m, n − m − 1)

k is the number of controlled variables (1 for temperature and precipitation alone) and m the number of
explanatory variables. With more controls the partial correlation is computed from the cofactors of the
correlation matrix (the correlation of the residuals of y and of the variable regressed on the others), and
1 − R² = det R / det Rxx.

Driver types

At significance α (default 0.05; significant means p below α):

- not climate-driven: F is not significant;
- temperature and precipitation co-driven: both partial t significant;
- temperature-driven, or precipitation-driven: only that one significant;
- climate-driven, weak: F significant, neither partial t.

With additional controls the F test covers all variables and the types are still defined by temperature and
precipitation (whose partial correlations then also control for the additional variables); a pixel where only
an additional control is significant is &quot;climate-driven, weak&quot;. The sign of r does not enter the type; read it
from the partial r rasters.

Data

The years of the carbon density stack are the analysis years; temperature and precipitation (and each
additional control) must have a band for every one of them, matched by year (extra years are ignored and
listed in the log). Additional controls (e.g. an aridity index or radiation): each layer is one multi-band
stack with the years in its band descriptions; their partial r and p are written as one band per control. A
pixel needs the minimum share of valid years (default 75 %, at least 4 years and at least m + 2) in common to
all variables; otherwise it is nodata. A constant series, or collinear climate variables (|r(12)| near 1),
give nodata. All inputs must be on one grid.

References

Fisher, R. A. (1924) The distribution of the partial correlation coefficient. Metron 3:329–332. Anderson,
T. W. (2003) An Introduction to Multivariate Statistical Analysis, 3rd ed., Wiley, sections 2.5 and 4.3–4.4.
</source>
        <translation>
逐像元计算逐年碳密度序列与同期气温、降水的偏相关（各自控制另一个变量及任何附加控制变量）及其 t 检验、复相关及其 F 检验，并生成驱动类型栅格及各类型面积（docs/method.md，第 10 步）。

公式

在像元所有变量均有效的 n 个年份上，以 Pearson r 计算（y 为碳密度，1 为气温，2 为降水）：

  偏相关：r(y1·2) = (r(y1) − r(y2) r(12)) / √((1 − r(y2)²)(1 − r(12)²))
  t 检验：t = r √(n − k − 2) / √(1 − r²)，df = n − k − 2，双侧 p
  复相关：R(y·12) = √(1 − (1 − r(y1)²)(1 − r(y2·1)²))
  F 检验：F = R² / (1 − R²) · (n − m − 1) / m，p 取自 F(m, n − m − 1)

k 为被控制变量的个数（仅有气温和降水时为 1），m 为解释变量的个数。控制变量更多时，偏相关由相关矩阵的代数余子式计算（即 y 与该变量分别对其他变量回归后残差的相关），且 1 − R² = det R / det Rxx。

驱动类型

在显著性水平 α 下（默认 0.05；显著指 p 小于 α）：

- 非气候驱动型：F 检验不显著；
- 温度降水共同驱动型：两个偏相关 t 检验均显著；
- 温度驱动型或降水驱动型：仅其中一个显著；
- 弱气候驱动型：F 检验显著，但两个偏相关 t 检验均不显著。

有附加控制变量时，F 检验涵盖全部变量，类型仍由气温和降水确定（此时其偏相关也控制附加变量）；仅某附加控制变量显著的像元为“弱气候驱动型”。r 的符号不参与类型划分；请从偏相关 r 栅格中读取。

数据

碳密度时序栅格的年份即分析年份；气温和降水（以及每个附加控制变量）必须对其中每一年都有一个波段，按年份匹配（多余的年份被忽略并在日志中列出）。附加控制变量（如干燥度指数或辐射）：每个图层为一个多波段时序栅格，年份在其波段描述中；其偏相关 r 和 p 按每个控制变量一个波段写出。像元需要所有变量共有的有效年份达到最低比例（默认 75 %，至少 4 年且至少 m + 2 年），否则为无数据。序列为常数或气候变量共线（|r(12)| 接近 1）时为无数据。所有输入必须位于同一格网。

参考文献

Fisher, R. A. (1924) The distribution of the partial correlation coefficient. Metron 3:329–332. Anderson, T. W. (2003) An Introduction to Multivariate Statistical Analysis, 3rd ed., Wiley, sections 2.5 and 4.3–4.4.
</translation>
    </message>
</context>
<context>
    <name>CoefficientOfVariation</name>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="69"/>
        <source>Classify Cv</source>
        <translation>对变异系数分级</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="70"/>
        <source>Write the stability class raster and its class areas.</source>
        <translation>写出稳定性分级栅格及各级面积。</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="72"/>
        <source>Class breaks (increasing, comma-separated)</source>
        <translation>分级断点（递增，逗号分隔）</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="77"/>
        <source>Upper limits of the classes but the last; each class includes its upper limit.</source>
        <translation>除最后一级外各级的上限；每级包含其上限。</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="86"/>
        <source>Pixels left nodata: negative values or only zeros in the series</source>
        <translation>保留为无数据的像元：序列中有负值或全为零</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="95"/>
        <source>Class breaks &apos;{}&apos;</source>
        <translation>分级断点“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="101"/>
        <source>Yearly stack</source>
        <translation>逐年时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="153"/>
        <source>{:,} pixels of '{}' have a negative value or only zeros in their series: Cv = σ/μ is defined for quantities that cannot be negative, so they are nodata ({:.1f} % of the {:,} pixels with enough valid years).</source>
        <translation>“{1}”中有 {0:,} 个像元的序列含负值或全为零：Cv = σ/μ 只对不能为负的量有定义，因此这些像元为无数据（占有足够有效年份的 {3:,} 个像元的 {2:.1f} %）。</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="182"/>
        <source>No pixel of &apos;{}&apos; has at least {} valid years: there is no Cv to compute.</source>
        <translation>“{}”中没有像元至少有 {} 个有效年份：无法计算变异系数。</translation>
    </message>
    <message>
        <location filename="../algorithms/coefficient_of_variation.py" line="187"/>
        <source>Every pixel of '{}' with at least {} valid years has a negative value or only zeros in its series: Cv = σ/μ is defined for quantities that cannot be negative (carbon density, NPP, precipitation), not for anomalies, slopes or temperatures in °C.</source>
        <translation>“{}”中所有至少有 {} 个有效年份的像元，其序列都含负值或全为零：Cv = σ/μ 只对不能为负的量（碳密度、NPP、降水）有定义，不适用于距平、斜率或以 °C 表示的气温。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="11"/>
        <source>Coefficient of variation (stability)</source>
        <translation>变异系数（稳定性）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="12"/>
        <source>coefficient of variation,cv,stability,variability,fluctuation</source>
        <translation>coefficient of variation,cv,stability,variability,fluctuation,变异系数,稳定性,变异性,波动</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="13"/>
        <source>
Stability of each pixel's yearly series as the coefficient of variation, with stability classes and the
area of each class (docs/method.md, step 7). A higher Cv means a more volatile, less stable series.

Formula

  Cv = σ / μ

with μ the mean and σ the sample standard deviation (n − 1) of the pixel's valid years.

Cv is defined for quantities that cannot be negative, such as carbon density, storage, NPP or
precipitation. A pixel whose series has a negative value (an anomaly, a slope, a temperature in °C) or only
zeros is nodata: its mean can be any small number, even by rounding, and σ / μ would be meaningless. Those
pixels are counted; the count is logged as a warning and returned as NOT_POSITIVE_PIXELS. For the other
pixels Cv ≤ √n. A stack in which no pixel has a Cv (all anomalies, all below zero, or too few valid years)
is refused before any output is written.

Classes

Class breaks are right-closed: Cv ≤ 0.05, then 0.05 to 0.10 (0.10 included), and so on. The default breaks
0.05, 0.10, 0.15, 0.20 give the five classes common in the vegetation and carbon literature: low, relatively
low, medium, relatively high and high fluctuation.

Data

Nodata and NaN are missing years; a pixel with fewer valid years than the minimum share (default 75 %,
never fewer than 4) is nodata. Inputs must be on one grid.

References

Everitt, B. S. &amp; Skrondal, A. (2010) The Cambridge Dictionary of Statistics, 4th ed. Cambridge University
Press. Milich, L. &amp; Weiss, E. (2000) GAC NDVI interannual coefficient of variation (CoV) images. Int. J.
Remote Sens. 21:235–260.
</source>
        <translation>
以变异系数表示各像元逐年序列的稳定性，并给出稳定性分级及各级面积（docs/method.md，第 7 步）。Cv 越高，序列波动越大、越不稳定。

公式

  Cv = σ / μ

其中 μ 为像元有效年份的均值，σ 为样本标准差（n − 1）。

Cv 只对不能为负的量有定义，如碳密度、碳储量、NPP 或降水。序列含负值（距平、斜率、以 °C 表示的气温）或全为零的像元为无数据：其均值可能是任意小的数，甚至由舍入造成，σ / μ 将失去意义。这些像元会被计数；计数以警告记录在日志中，并以 NOT_POSITIVE_PIXELS 返回。其余像元满足 Cv ≤ √n。没有任何像元能得到 Cv 的时序栅格（全为距平、全部小于零或有效年份过少）会在写出任何输出之前被拒绝。

分级

分级断点为右闭区间：Cv ≤ 0.05，然后是 0.05 到 0.10（含 0.10），依此类推。默认断点 0.05、0.10、0.15、0.20 给出植被与碳研究文献中常用的五级：低波动、较低波动、中等波动、较高波动和高波动。

数据

无数据和 NaN 视为缺失年份；有效年份少于最低比例（默认 75 %，且不少于 4 年）的像元为无数据。输入必须位于同一格网。

参考文献

Everitt, B. S. &amp; Skrondal, A. (2010) The Cambridge Dictionary of Statistics, 4th ed. Cambridge University Press. Milich, L. &amp; Weiss, E. (2000) GAC NDVI interannual coefficient of variation (CoV) images. Int. J. Remote Sens. 21:235–260.
</translation>
    </message>
</context>
<context>
    <name>CreateDemoRegion</name>
    <message>
        <location filename="../algorithms/create_demo_region.py" line="86"/>
        <source>Demo region folder</source>
        <translation>示例区域文件夹</translation>
    </message>
    <message>
        <location filename="../algorithms/create_demo_region.py" line="87"/>
        <source>The folder the region is written into.</source>
        <translation>写入示例区域的文件夹。</translation>
    </message>
    <message>
        <location filename="../algorithms/create_demo_region.py" line="104"/>
        <source>Synthetic demo region written to {} (see its README.md)</source>
        <translation>合成示例区域已写入 {}（见其中的 README.md）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="14"/>
        <source>Create demo region</source>
        <translation>创建示例区域</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="15"/>
        <source>demo,example,sample data,synthetic,tutorial</source>
        <translation>demo,example,sample data,synthetic,tutorial,示例,样例数据,合成数据,教程</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="16"/>
        <source>
Writes a small synthetic study region into a folder, so the whole workflow (and the &quot;Whole study&quot; model)
can be tried in a minute. Nothing in it is measured.

What it holds

On a 250 m grid in WGS 84 / UTM 48N (default 200 rows × 240 columns), with moisture falling from south to
north as in the study area:

- a DEM (high, moist mountains in the south, a river valley, a dry plain in the north);
- yearly (2001–2024) precipitation (AP), temperature (MAT), NDVI, NPP and aridity index (AI) stacks with a
regional warming and wetting trend, shared year-to-year anomalies and pixel noise, and each of them in the
survey year 2024 as a single raster (NPP_2024.tif …);
- land use in 2001 and 2024 (CNLUCC first-level codes: 1 cropland, 2 forest, 3 grassland, 4 water, 5
built-up, 6 unused land) with plausible conversions (cropland to forest and grassland under &quot;Grain for
Green&quot;, unused land to grassland, cropland to built-up near the town);
- climate zone and ecosystem type rasters (the strata of the sample augmentation);
- survey plots (default 60) whose field records (trees in a tree table, shrub, herb and litter fresh
weights with dry/fresh ratios, three soil layers) add up, through the plugin's own plot carbon arithmetic,
to a &quot;true&quot; carbon density that depends on NPP, NDVI, DEM and land use, plus noise.

The folder's README.md lists every file with its units. The same seed gives the same region.

References

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755, for the design of the study it imitates.
</source>
        <translation>
将一个小型合成研究区写入文件夹，以便在一分钟内试用整个流程（以及“整体研究”模型）。其中没有任何实测数据。

内容

在 WGS 84 / UTM 48N 的 250 m 格网上（默认 200 行 × 240 列），湿度与研究区一样由南向北递减：

- 一个 DEM（南部为高而湿润的山地，中间为河谷，北部为干旱平原）；
- 逐年（2001–2024）降水（AP）、气温（MAT）、NDVI、NPP 和干燥度指数（AI）时序栅格，带有区域性的暖湿化趋势、共同的年际距平和像元噪声，并且每个变量在调查年份 2024 年另有一个单独的栅格（NPP_2024.tif …）；
- 2001 年和 2024 年的土地利用（CNLUCC 一级编码：1 耕地、2 林地、3 草地、4 水域、5 建设用地、6 未利用地），带有合理的转换（“退耕还林还草”下耕地转为林地和草地，未利用地转为草地，城镇附近耕地转为建设用地）；
- 气候区和生态系统类型栅格（样本扩充的分层）；
- 调查样地（默认 60 个），其野外记录（乔木表中的乔木，灌木、草本和凋落物鲜重及干鲜比，三个土壤层）经插件自身的样地碳计算，合计为依赖于 NPP、NDVI、DEM 和土地利用的“真实”碳密度，另加噪声。

文件夹中的 README.md 列出了每个文件及其单位。相同的随机种子得到相同的区域。

参考文献

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755，本示例模仿其研究设计。
</translation>
    </message>
</context>
<context>
    <name>DiagnosticZoning</name>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="113"/>
        <source>Rule table (classes separated by |, or &apos;any&apos;; empty: the default table)</source>
        <translation>规则表（类别以 | 分隔，或 'any'；为空：默认规则表）</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="123"/>
        <source>One rule per row: the zone, then the classes of each input it takes (see the help).</source>
        <translation>每行一条规则：分区名称，然后是各输入所取的类别（见帮助）。</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="127"/>
        <source>Rule table as a CSV file (replaces the matrix when given)</source>
        <translation>CSV 文件形式的规则表（给出时替代矩阵）</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="133"/>
        <source>Columns zone, trend, future, lisa, driver, optionally code, colour and note.</source>
        <translation>列：zone、trend、future、lisa、driver，可选 code、colour 和 note。</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="154"/>
        <source>Give at least one input class raster (trend class, future trend class, LISA cluster or driver type).</source>
        <translation>请至少给出一个输入分类栅格（趋势分类、未来趋势分类、LISA 聚集或驱动类型）。</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="182"/>
        <source>Layer &apos;{}&apos; has no class names (GDAL category names); the rules can name its classes by code only.</source>
        <translation>图层“{}”没有类别名称（GDAL 类别名称）；规则只能按编码指定其类别。</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="189"/>
        <source>Give at least one input class raster.</source>
        <translation>请至少给出一个输入分类栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="194"/>
        <source>The {} names no class of any input, so every pixel would be &apos;{}&apos;. Name classes in the rules.</source>
        <translation>{} 未指定任何输入的类别，因此所有像元都将是“{}”。请在规则中指定类别。</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="201"/>
        <source>No rule names a class of the {} input; it is not used.</source>
        <translation>没有规则指定 {} 输入的类别；该输入未被使用。</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="204"/>
        <source>{} rules from the {}, {} zones; inputs used: {}</source>
        <translation>来自{}的 {} 条规则，{} 个分区；使用的输入：{}</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="17"/>
        <source>Diagnostic zoning</source>
        <translation>诊断分区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="18"/>
        <source>zoning,diagnostic zones,management zones,priority areas,carbon sink zoning,rule table</source>
        <translation>zoning,diagnostic zones,management zones,priority areas,carbon sink zoning,rule table,分区,诊断分区,管理分区,优先区,碳汇分区,规则表</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="139"/>
        <source>Pixels with at least one input</source>
        <translation>至少有一个输入的像元数</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="142"/>
        <source>Pixels with an input but no zone</source>
        <translation>有输入但无分区的像元数</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="146"/>
        <source>No zone: no {}</source>
        <translation>无分区：缺少 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="265"/>
        <source>{:,} of the {:,} pixels with at least one input have a zone; {:,} have none, missing:</source>
        <translation>在至少有一个输入的 {1:,} 个像元中，{0:,} 个有分区；{2:,} 个没有分区，按缺少的输入统计：</translation>
    </message>
    <message>
        <location filename="../algorithms/diagnostic_zoning.py" line="271"/>
        <source>  {:&gt;10,}  the {}</source>
        <translation>  {:&gt;10,}  {}</translation>
    </message>
</context>
<context>
    <name>FactorScreening</name>
    <message>
        <location filename="../algorithms/factor_screening.py" line="132"/>
        <source>Correlation pairs</source>
        <translation>相关系数对</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="132"/>
        <source>One row per pair: var1, var2, r, p, n, sig.</source>
        <translation>每对一行：var1、var2、r、p、n、sig。</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="138"/>
        <source>Factor table (r with carbon density, VIF, keep)</source>
        <translation>因子表（与碳密度的 r、VIF、是否保留）</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="138"/>
        <source>One row per factor: r and p with carbon density, VIF, VIF among the kept, keep, reason.</source>
        <translation>每个因子一行：与碳密度的 r 和 p、VIF、保留因子间的 VIF、是否保留、原因。</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="147"/>
        <source>Kept factors (comma-separated names)</source>
        <translation>保留的因子（逗号分隔的名称）</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="158"/>
        <source>No carbon density field given</source>
        <translation>未给出碳密度字段</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="163"/>
        <source>A factor layer has the name of the target field &apos;{}&apos;; rename the layer.</source>
        <translation>有一个因子图层与目标字段“{}”同名；请重命名该图层。</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="177"/>
        <source>Only {} point(s) of layer &apos;{}&apos; have a target value and a value for every factor; at least {} are needed ({}).</source>
        <translation>图层“{1}”中只有 {0} 个点同时具有目标值和全部因子值；至少需要 {2} 个（{3}）。</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="185"/>
        <source>Layer &apos;{}&apos;</source>
        <translation>图层“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="191"/>
        <source>No VIF: {}</source>
        <translation>无 VIF：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="236"/>
        <source>No VIF among the kept factors: {}</source>
        <translation>保留因子间无 VIF：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="241"/>
        <source>n = {:,}. Factor, r with {}, p, VIF (all factors), VIF (kept factors), keep:</source>
        <translation>n = {:,}。因子、与{}的 r、p、VIF（全部因子）、VIF（保留因子）、是否保留：</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="252"/>
        <source>Suggested factors: {}</source>
        <translation>建议的因子：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/factor_screening.py" line="255"/>
        <source>Kept factors still collinear (VIF &gt; 10 among the kept factors): {}; consider a lower threshold</source>
        <translation>保留的因子仍存在共线性（保留因子间 VIF &gt; 10）：{}；可考虑降低阈值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="19"/>
        <source>Factor correlation screening</source>
        <translation>因子相关性筛选</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="20"/>
        <source>correlation,pearson,collinearity,vif,variance inflation factor,factor selection,screening</source>
        <translation>correlation,pearson,collinearity,vif,variance inflation factor,factor selection,screening,相关性,皮尔逊,共线性,方差膨胀因子,因子选择,筛选</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="21"/>
        <source>
Screens candidate factors (NPP, NDVI, EVI, aridity, precipitation, temperature, DEM, slope …) for the carbon
density model (docs/method.md, step 3): each factor raster is sampled at the points, then the Pearson
correlation of every pair of variables (carbon density and factors) with its p-value, the variance inflation
factor (VIF) of each factor, and a suggested list of factors to keep are computed. An HTML report shows the
correlation heat map with significance stars, the VIF table and the kept factors.

Inputs

A point layer with a carbon density field (t C/hm²), and one single-band raster per factor, all on one grid
(same CRS, extent and pixel size; nothing is resampled). A factor is named after its layer. Points are
transformed to the rasters' CRS; a point outside the rasters, on nodata of any factor or without a carbon
density is left out of the whole analysis (listwise deletion, so every statistic uses the same n) and
counted in the log. At least 3 complete points are needed.

Formulas

  Pearson r = Σ(xᵢ − x̄)(yᵢ − ȳ) / √(Σ(xᵢ − x̄)² Σ(yᵢ − ȳ)²)
  t test of ρ = 0: t = r √(n − 2) / √(1 − r²), Student's t with n − 2 degrees of freedom, p = 2 P(T ≥ |t|)
  VIFⱼ = 1 / (1 − R²ⱼ)

Stars: * p below 0.05, ** below 0.01, *** below 0.001. R²ⱼ is that of the least-squares regression (with
intercept) of factor j on all other factors; VIFⱼ equals the j-th diagonal element of the inverse correlation
matrix of the factors. A VIF above 10 (some use 5) signals strong collinearity; read it with the sample size
in mind (O'Brien 2007).

Kept factors

Factors are visited in decreasing |r| with carbon density. The first is kept; each next factor is kept
unless its |r| with an already kept factor is above the largest |r| allowed (default 0.8), in which case the
table says which kept factor it collides with. This keeps, in every group of collinear factors, the one most
correlated with carbon density, as in the paper (which keeps NPP, NDVI, AP, MAT and DEM). It is a
suggestion: check the VIFs and the ecology before passing the list on.

Outputs

- Correlation pairs: one row per pair of variables (var1, var2, r, p, n, sig), a long table whose fields do
not depend on the layer names, so it works in any format and in the modeler; the matrix is in the report.
- Factor table: factor, r_with_target, p_with_target, vif (among all factors), vif_kept (among the kept
factors only: the collinearity the model will see), keep, reason.
- KEPT_FACTORS: the kept factor names, comma-separated, for SELECT_FACTORS of Train carbon density model.

References

Pearson, K. (1895) Note on regression and inheritance in the case of two parents. Proc. R. Soc. Lond.
58:240–242. Fisher, R. A. (1915) Frequency distribution of the values of the correlation coefficient.
Biometrika 10:507–521. O'Brien, R. M. (2007) A caution regarding rules of thumb for variance inflation
factors. Quality &amp; Quantity 41:673–690.
</source>
        <translation>
为碳密度模型筛选候选因子（NPP、NDVI、EVI、干燥度、降水、气温、DEM、坡度…）（docs/method.md，第 3 步）：在各点上采样每个因子栅格，然后计算每对变量（碳密度和各因子）的 Pearson 相关系数及其 p 值、各因子的方差膨胀因子（VIF），并给出建议保留的因子列表。HTML 报告给出带显著性星号的相关热图、VIF 表和保留的因子。

输入

一个带碳密度字段（t C/hm²）的点图层，以及每个因子一个单波段栅格，全部位于同一格网（相同的坐标参考系、范围和像元大小；不做重采样）。因子以其图层命名。点被转换到栅格的坐标参考系；位于栅格之外、位于任一因子的无数据处或没有碳密度的点被排除在整个分析之外（成列删除，使每个统计量使用相同的 n），并在日志中计数。至少需要 3 个完整的点。

公式

  Pearson r = Σ(xᵢ − x̄)(yᵢ − ȳ) / √(Σ(xᵢ − x̄)² Σ(yᵢ − ȳ)²)
  ρ = 0 的 t 检验：t = r √(n − 2) / √(1 − r²)，服从自由度 n − 2 的 Student t 分布，p = 2 P(T ≥ |t|)
  VIFⱼ = 1 / (1 − R²ⱼ)

星号：* p 小于 0.05，** 小于 0.01，*** 小于 0.001。R²ⱼ 为因子 j 对其他所有因子做最小二乘回归（含截距）的 R²；VIFⱼ 等于因子相关矩阵逆矩阵的第 j 个对角元素。VIF 大于 10（也有人用 5）表示强共线性；解读时需考虑样本量（O'Brien 2007）。

保留的因子

按与碳密度的 |r| 从大到小依次考察各因子。第一个因子保留；之后的每个因子，除非它与某个已保留因子的 |r| 超过允许的最大 |r|（默认 0.8），否则予以保留；被剔除时表中注明它与哪个已保留因子冲突。这样在每组共线因子中保留与碳密度相关最强的一个，与论文一致（论文保留了 NPP、NDVI、AP、MAT 和 DEM）。这只是建议：传给下一步之前请检查 VIF 并结合生态学判断。

输出

- 相关系数对：每对变量一行（var1、var2、r、p、n、sig），字段不依赖于图层名称的长表，因此适用于任何格式和图形建模器；矩阵见报告。
- 因子表：factor、r_with_target、p_with_target、vif（全部因子间）、vif_kept（仅保留因子间：模型将面对的共线性）、keep、reason。
- KEPT_FACTORS：保留的因子名称，逗号分隔，供“训练碳密度模型”的 SELECT_FACTORS 使用。

参考文献

Pearson, K. (1895) Note on regression and inheritance in the case of two parents. Proc. R. Soc. Lond. 58:240–242. Fisher, R. A. (1915) Frequency distribution of the values of the correlation coefficient. Biometrika 10:507–521. O'Brien, R. M. (2007) A caution regarding rules of thumb for variance inflation factors. Quality &amp; Quantity 41:673–690.
</translation>
    </message>
</context>
<context>
    <name>FutureTrend</name>
    <message>
        <location filename="../algorithms/future_trend.py" line="70"/>
        <source>Optional: the Mann–Kendall P_VALUE output of the same trend run; each class is then split by significance.</source>
        <translation>可选：同一次趋势分析的 Mann–Kendall P_VALUE 输出；据此按显著性再细分各类。</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="79"/>
        <source>With a p-value raster: significant means p below α.</source>
        <translation>给出 p 值栅格时：显著指 p 小于 α。</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="94"/>
        <source>Sen slope</source>
        <translation>Sen 斜率</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="95"/>
        <source>Hurst exponent</source>
        <translation>Hurst 指数</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="99"/>
        <source>p-value</source>
        <translation>p 值</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="118"/>
        <source>Layer &apos;{}&apos; given as the {}: {}</source>
        <translation>作为{1}给出的图层“{0}”：{2}</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="152"/>
        <source>{:,} pixels of '{}' have a Hurst exponent above {:g} (R/S estimates lie in about 0–1.5): their series are most likely constant over their first years, so few window lengths entered the fit. They are classed as persistent (H &gt; 0.5).</source>
        <translation>“{1}”中有 {0:,} 个像元的 Hurst 指数大于 {2:g}（R/S 估计值约在 0–1.5 之间）：其序列很可能在最初几年保持不变，因此参与拟合的窗口长度很少。它们被归为持续性（H &gt; 0.5）。</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="186"/>
        <source>Layer &apos;{}&apos; given as the {} is a class raster (it has a colour table or class names); the {} raster is needed here.</source>
        <translation>作为{1}给出的图层“{0}”是分类栅格（有颜色表或类别名称）；此处需要{2}栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="195"/>
        <source>Layer &apos;{}&apos; given as the {} is described as &apos;{}&apos;: it looks like the {}. Were the inputs swapped?</source>
        <translation>作为{1}给出的图层“{0}”的描述为“{2}”：它看起来像{3}。输入是否弄反了？</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="206"/>
        <source>Layer '{}' given as the Sen slope holds only the whole numbers {}: that is a class raster (e.g. the trend class), not a slope. Give the slope output of 'Theil–Sen slope and Mann–Kendall trend'.</source>
        <translation>作为 Sen 斜率给出的图层“{}”只含整数 {}：这是分类栅格（如趋势分类），不是斜率。请给出“Theil–Sen 斜率与 Mann–Kendall 趋势”的斜率输出。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="22"/>
        <source>Future trend (Sen slope × Hurst)</source>
        <translation>未来趋势（Sen 斜率 × Hurst 指数）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="23"/>
        <source>future trend,persistence,hurst,sen slope,continuous improvement,degradation</source>
        <translation>future trend,persistence,hurst,sen slope,continuous improvement,degradation,未来趋势,持续性,Hurst 指数,Sen 斜率,持续改善,退化</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="24"/>
        <source>
Where the past trend is likely to continue or to reverse: the Sen slope β crossed with the Hurst exponent
H, optionally split by the Mann–Kendall significance (docs/method.md, step 9).

Classes

- Continuous improvement: β above 0 and H above 0.5.
- Future degradation: β above 0 and H below 0.5.
- Future improvement: β below 0 and H below 0.5.
- Continuous degradation: β below 0 and H above 0.5.
- Undetermined: β = 0 or H = 0.5.

With a p-value raster each class is split into significant (p below α, default 0.05) and not significant:
eight classes plus undetermined.

The inputs are the outputs of &quot;Theil–Sen slope and Mann–Kendall trend&quot; and &quot;Hurst exponent&quot; of the same
stack, on one grid; nodata in any input gives nodata.

Input checks

An input in the wrong role would give a plausible-looking but wrong map, so the run stops, naming the layer,
when: an input is a class raster (it has a colour table or class names, or the slope holds only a few whole
non-negative numbers, such as trend class codes); an input's band description names another role (e.g. the
layer described &quot;Hurst exponent&quot; given as the slope: swapped inputs); the Hurst exponent has negative values
(a Hurst exponent never has; a slope usually does); the p-value has values outside 0–1 (e.g. the z-score
given as p). The partial output is removed. R/S estimates of H lie in about 0–1.5; pixels above 2 come from
series that are constant over their first years (few window lengths enter the fit): they are classed as
persistent and counted in a warning.

References

Sen, P. K. (1968) JASA 63:1379–1389. Hurst, H. E. (1951) Trans. ASCE 116:770–808.
</source>
        <translation>
过去的趋势可能延续还是反转：Sen 斜率 β 与 Hurst 指数 H 交叉，可选按 Mann–Kendall 显著性细分（docs/method.md，第 9 步）。

类别

- 持续改善：β 大于 0 且 H 大于 0.5。
- 未来退化：β 大于 0 且 H 小于 0.5。
- 未来改善：β 小于 0 且 H 小于 0.5。
- 持续退化：β 小于 0 且 H 大于 0.5。
- 无法确定：β = 0 或 H = 0.5。

给出 p 值栅格时，每类再分为显著（p 小于 α，默认 0.05）和不显著：共八类加无法确定。

输入为同一时序栅格的“Theil–Sen 斜率与 Mann–Kendall 趋势”和“Hurst 指数”的输出，位于同一格网；任一输入为无数据则结果为无数据。

输入检查

输入角色错误会得到看似合理但错误的地图，因此在以下情况下运行中止并指明图层：某输入为分类栅格（有颜色表或类别名称，或斜率只含少数非负整数，如趋势分类编码）；某输入的波段描述指向另一角色（如描述为“Hurst exponent”的图层被作为斜率给出：输入弄反）；Hurst 指数含负值（Hurst 指数不会为负，而斜率通常有负值）；p 值含 0–1 以外的值（如把 z 得分当作 p 给出）。不完整的输出会被删除。H 的 R/S 估计值约在 0–1.5 之间；大于 2 的像元来自最初几年保持不变的序列（参与拟合的窗口长度很少）：它们被归为持续性，并在警告中计数。

参考文献

Sen, P. K. (1968) JASA 63:1379–1389. Hurst, H. E. (1951) Trans. ASCE 116:770–808.
</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="166"/>
        <source>{:,} of the {:,} pixels with a Sen slope have a future trend class; {:,} have none: {:,} have no Hurst exponent in &apos;{}&apos; (see the Hurst step&apos;s log: too few years, constant or mostly flat series)</source>
        <translation>在有 Sen 斜率的 {1:,} 个像元中，{0:,} 个有未来趋势类别；{2:,} 个没有：其中 {3:,} 个在“{4}”中没有 Hurst 指数（见 Hurst 指数步骤的日志：年份太少、序列为常数或大部分持平）</translation>
    </message>
    <message>
        <location filename="../algorithms/future_trend.py" line="166"/>
        <source>, {:,} no p-value</source>
        <translation>，{:,} 个没有 p 值</translation>
    </message>
</context>
<context>
    <name>GlobalMoran</name>
    <message>
        <location filename="../algorithms/global_moran.py" line="80"/>
        <source>Largest raster for the permutation test (analysed cells)</source>
        <translation>置换检验的最大栅格（参与分析的像元数）</translation>
    </message>
    <message>
        <location filename="../algorithms/global_moran.py" line="87"/>
        <source>The permutation test of a raster holds the grid in memory; above this number of analysed cells P_SIM is the normal approximation with the permutation mean and variance (P_RAND).</source>
        <translation>栅格的置换检验需将整个格网保存在内存中；参与分析的像元数超过此值时，P_SIM 取基于置换均值和方差的正态近似（P_RAND）。</translation>
    </message>
    <message>
        <location filename="../algorithms/global_moran.py" line="95"/>
        <source>Moran&apos;s I table</source>
        <translation>莫兰指数表</translation>
    </message>
    <message>
        <location filename="../algorithms/global_moran.py" line="95"/>
        <source>One row: input, weights, n, I and its moments, z and p values, permutations, seed.</source>
        <translation>一行：输入、空间权重、n、I 及其矩、z 值和 p 值、置换次数、随机种子。</translation>
    </message>
    <message>
        <location filename="../algorithms/global_moran.py" line="103"/>
        <source>How p_sim was obtained</source>
        <translation>p_sim 的获得方式</translation>
    </message>
    <message>
        <location filename="../algorithms/global_moran.py" line="118"/>
        <source>Layer &apos;{}&apos;</source>
        <translation>图层“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/global_moran.py" line="143"/>
        <source>&apos;{}&apos;: {:,} valid cells{}; {:,} analysed with {} contiguity (row-standardised over valid neighbours); {:,} isolated (no valid neighbour), left out.</source>
        <translation>“{}”：{:,} 个有效像元{}；{:,} 个以{}邻接参与分析（在有效邻域上行标准化）；{:,} 个孤立（无有效邻域），已剔除。</translation>
    </message>
    <message>
        <location filename="../algorithms/global_moran.py" line="154"/>
        <source>Moran&apos;s I = {:.6g} (E[I] = {:.4g}); normality: z = {:.4g}, p = {:.4g}; randomisation: z = {:.4g}, p = {:.4g}; p_sim = {:.4g} ({}, {} permutations, seed {}); n = {:,}.</source>
        <translation>莫兰指数 I = {:.6g}（E[I] = {:.4g}）；正态假设：z = {:.4g}，p = {:.4g}；随机化假设：z = {:.4g}，p = {:.4g}；p_sim = {:.4g}（{}，{} 次置换，种子 {}）；n = {:,}。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="25"/>
        <source>Global Moran&apos;s I</source>
        <translation>全局莫兰指数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="26"/>
        <source>moran,moran&apos;s i,global moran,spatial autocorrelation,clustering,permutation test</source>
        <translation>moran,moran's i,global moran,spatial autocorrelation,clustering,permutation test,莫兰指数,全局莫兰指数,空间自相关,聚集,置换检验</translation>
    </message>
</context>
<context>
    <name>HurstExponent</name>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="85"/>
        <source>R/S convention</source>
        <translation>R/S 计算方式</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="85"/>
        <source>Expanding window (first τ values, τ = 2…n)</source>
        <translation>扩展窗口（前 τ 个值，τ = 2…n）</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="85"/>
        <source>Mandelbrot–Wallis (mean over non-overlapping sub-series)</source>
        <translation>Mandelbrot–Wallis（不重叠子序列的均值）</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="94"/>
        <source>Expanding window (default): R/S of the first τ values for τ = 2…n. Mandelbrot–Wallis: R/S averaged over the non-overlapping sub-series of each length τ.</source>
        <translation>扩展窗口（默认）：对 τ = 2…n 取前 τ 个值的 R/S。Mandelbrot–Wallis：对每个长度 τ 取各不重叠子序列 R/S 的平均。</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="101"/>
        <source>Apply to first differences</source>
        <translation>对一阶差分计算</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="104"/>
        <source>Compute H of the year-to-year changes instead of the values (needs 5 years).</source>
        <translation>计算逐年变化量（而非原值）的 H（需要 5 年）。</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="141"/>
        <source>Yearly stack</source>
        <translation>逐年时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="151"/>
        <source>Layer '{}' has {} years; R/S analysis fits H over the window lengths τ = 2…n and needs at least 3 of them, i.e. at least {} years{}.</source>
        <translation>图层“{}”有 {} 年；R/S 分析在窗口长度 τ = 2…n 上拟合 H，至少需要 3 个窗口长度，即至少 {} 年{}。</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="151"/>
        <source> when applied to first differences</source>
        <translation>（对一阶差分计算时）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="27"/>
        <source>Hurst exponent (persistence)</source>
        <translation>Hurst 指数（持续性）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="28"/>
        <source>hurst,persistence,rescaled range,r/s,long memory</source>
        <translation>hurst,persistence,rescaled range,r/s,long memory,Hurst 指数,持续性,重标极差,R/S,长记忆</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="108"/>
        <source>Hurst method</source>
        <translation>Hurst 计算方法</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="108"/>
        <source>R/S slope (Hurst 1951; biased upwards for short series)</source>
        <translation>R/S 斜率（Hurst 1951；短序列时偏高）</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="108"/>
        <source>Anis–Lloyd corrected R/S (0.5 + slope of log R/S − log E[R/S])</source>
        <translation>Anis–Lloyd 校正的 R/S（0.5 + log R/S − log E[R/S] 的斜率）</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="108"/>
        <source>Anis–Lloyd–Peters corrected R/S</source>
        <translation>Anis–Lloyd–Peters 校正的 R/S</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="118"/>
        <source>R/S slope (default, the paper's method): H is the slope of log(R/S) on log τ; for 20–30 years independent values give H ≈ 0.64. Anis–Lloyd: the expected R/S of independent values is removed first, so independent values give H ≈ 0.5. Anis–Lloyd–Peters: with Peters' small-sample factor (over-corrects when windows start at τ = 2).</source>
        <translation>R/S 斜率（默认，论文所用方法）：H 为 log(R/S) 对 log τ 的斜率；对 20–30 年的独立值，H ≈ 0.64。Anis–Lloyd：先扣除独立值的 R/S 期望值，因此独立值给出 H ≈ 0.5。Anis–Lloyd–Peters：另乘以 Peters 的小样本因子（窗口从 τ = 2 开始时校正过度）。</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="205"/>
        <source>{:,} of the {:,} pixels with data have a Hurst exponent; {:,} have none:</source>
        <translation>在有数据的 {1:,} 个像元中，{0:,} 个有 Hurst 指数；{2:,} 个没有，原因：</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="213"/>
        <source>fewer than {} valid years of {}</source>
        <translation>有效年份少于 {} 年（共 {} 年）</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="214"/>
        <source>  {:&gt;10,}  {}</source>
        <translation>  {:&gt;10,}  {}</translation>
    </message>
    <message>
        <location filename="../algorithms/hurst_exponent.py" line="216"/>
        <source>{:,} pixels have H above 1: R/S over few usable windows of a short series that is flat at first and then rises. Read them as very persistent, not as a probability. The Anis–Lloyd Hurst method removes the small-sample bias of R/S (about 0.15 for 24 years).</source>
        <translation>{:,} 个像元的 H 大于 1：这是先持平后上升的短序列在可用窗口很少时得到的 R/S 结果。应将其理解为持续性极强，而不是概率。Hurst 计算方法中的 Anis–Lloyd 校正可消除 R/S 的小样本偏差（24 年时约为 0.15）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="29"/>
        <source>
Persistence of each pixel's yearly series: the Hurst exponent H by rescaled-range (R/S) analysis
(docs/method.md, step 8). H above 0.5: persistent (the past trend tends to continue); H near 0.5: random
walk; H below 0.5: anti-persistent (the trend tends to reverse).

Formula

For a window of τ values with mean x̄ the cumulative deviation is X(t) = Σ (xᵤ − x̄) over u = 1…t, the
range R(τ) = max X − min X, and S(τ) the standard deviation (population form); H is the least-squares slope
of log(R/S) on log τ.

- Expanding window (default; the form of the vegetation and carbon literature the study follows): the
windows are the first τ values of the series, τ = 2…n.
- Mandelbrot–Wallis: for each τ the series is cut into ⌊n/τ⌋ non-overlapping sub-series and R/S is
averaged over them.
- Optionally either form is applied to the first differences of the series, as some papers do.

Data

Missing years are closed up (the valid values are taken in year order). A window whose values are all equal
has no R/S and is left out; H needs at least half of the window lengths (and at least 3), so a series that
is flat for most years gets no H. A constant series has no H (nodata), nor has a pixel with fewer valid
years than the minimum share (default 75 %, never fewer than 4). R/S is biased upwards for short series
(Anis &amp; Lloyd 1976): with about 24 years white noise gives H around 0.64, so read H close to 0.5 with care.
H above 1 happens on short series that are flat in their first years and then rise: few usable windows and
a steep log(R/S); it means &quot;very persistent&quot;, not a probability. The Anis–Lloyd correction (Hurst method)
subtracts the expected R/S of independent values of each window length, log E[R/S]τ, before the fit and
adds 0.5: independent values then give H ≈ 0.5 whatever the series length. The Peters variant multiplies
E[R/S]τ by (τ − ½)/τ; with windows from τ = 2 it over-corrects (white noise: H ≈ 0.41).

The log counts the pixels with data that got no H, by reason: too few valid years, a constant series, or a
series flat in most of its first years (too few usable windows).

References

Hurst, H. E. (1951) Long-term storage capacity of reservoirs. Trans. ASCE 116:770–808. Mandelbrot, B. B. &amp;
Wallis, J. R. (1969) Robustness of the rescaled range R/S. Water Resour. Res. 5:967–988. Anis, A. A. &amp;
Lloyd, E. H. (1976) The expected value of the adjusted rescaled Hurst range. Biometrika 63:111–116.
Peters, E. E. (1994) Fractal Market Analysis. Wiley. Weron, R. (2002) Estimating long-range dependence:
finite sample properties and confidence intervals. Physica A 312:285–299.
</source>
        <translation>
各像元逐年序列的持续性：以重标极差（R/S）分析计算 Hurst 指数 H（docs/method.md，第 8 步）。H 大于 0.5：持续性（过去的趋势倾向于延续）；H 接近 0.5：随机游走；H 小于 0.5：反持续性（趋势倾向于反转）。

公式

对均值为 x̄ 的 τ 个值的窗口，累积离差为 X(t) = Σ (xᵤ − x̄)，u = 1…t，极差 R(τ) = max X − min X，S(τ) 为标准差（总体形式）；H 为 log(R/S) 对 log τ 的最小二乘斜率。

- 扩展窗口（默认；本研究所依循的植被与碳研究文献的形式）：窗口为序列的前 τ 个值，τ = 2…n。
- Mandelbrot–Wallis：对每个 τ 将序列切分为 ⌊n/τ⌋ 个不重叠子序列，对其 R/S 取平均。
- 可选地，按部分文献的做法，对序列的一阶差分应用上述任一形式。

数据

缺失年份被合并（按年份顺序取有效值）。所有值都相等的窗口没有 R/S，被剔除；H 至少需要一半的窗口长度（且至少 3 个），因此大部分年份持平的序列没有 H。常数序列没有 H（无数据），有效年份少于最低比例（默认 75 %，且不少于 4 年）的像元也没有。短序列的 R/S 偏高（Anis &amp; Lloyd 1976）：约 24 年的白噪声给出的 H 约为 0.64，因此对接近 0.5 的 H 需谨慎解读。最初几年持平、随后上升的短序列会出现大于 1 的 H：可用窗口很少，且 log(R/S) 很陡；它表示“持续性极强”，而不是概率。Anis–Lloyd 校正（Hurst 计算方法）在拟合前减去各窗口长度下独立值的 R/S 期望值 log E[R/S]τ，并加上 0.5：这样无论序列多长，独立值都给出 H ≈ 0.5。Peters 变体将 E[R/S]τ 乘以 (τ − ½)/τ；窗口从 τ = 2 开始时会校正过度（白噪声：H ≈ 0.41）。

日志按原因统计有数据但未得到 H 的像元数：有效年份太少、序列为常数，或序列在最初大部分年份持平（可用窗口太少）。

参考文献

Hurst, H. E. (1951) Long-term storage capacity of reservoirs. Trans. ASCE 116:770–808. Mandelbrot, B. B. &amp; Wallis, J. R. (1969) Robustness of the rescaled range R/S. Water Resour. Res. 5:967–988. Anis, A. A. &amp; Lloyd, E. H. (1976) The expected value of the adjusted rescaled Hurst range. Biometrika 63:111–116. Peters, E. E. (1994) Fractal Market Analysis. Wiley. Weron, R. (2002) Estimating long-range dependence: finite sample properties and confidence intervals. Physica A 312:285–299.
</translation>
    </message>
</context>
<context>
    <name>LandUseContribution</name>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="118"/>
        <source>Transitions (area and carbon change)</source>
        <translation>转移（面积与碳变化）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="118"/>
        <source>One row per transition i → j: area (hm²), carbon change (t C) and share.</source>
        <translation>每个转移 i → j 一行：面积（hm²）、碳变化（t C）及占比。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="124"/>
        <source>Class contributions</source>
        <translation>各类别贡献</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="124"/>
        <source>One row per class: carbon change, persistence and conversion parts, contribution rate.</source>
        <translation>每个类别一行：碳变化、保持部分与转换部分、贡献率。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="131"/>
        <source>Transition raster (one class per i → j)</source>
        <translation>转移栅格（每个 i → j 一个类别）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="131"/>
        <source>One styled class per transition from a start class to an end class.</source>
        <translation>每个从起始类别到终止类别的转移为一个带样式的类别。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="138"/>
        <source>Total carbon change (t C)</source>
        <translation>总碳变化（t C）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="139"/>
        <source>Carbon change of the conversion set (t C)</source>
        <translation>转换集的碳变化（t C）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="144"/>
        <source>Share of the conversion set in the total change (%)</source>
        <translation>转换集占总变化的比例（%）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="149"/>
        <source>Pixels with a code not in the class table</source>
        <translation>编码不在类别表中的像元</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="159"/>
        <source>Land-use classes (code, name)</source>
        <translation>土地利用类别（编码、名称）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="168"/>
        <source>The code and name of every class (default: the CNLUCC first-level classes).</source>
        <translation>每个类别的编码和名称（默认：CNLUCC 一级类）。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="174"/>
        <source>Fold two-digit (second-level) codes onto their first-level class (code // 10)</source>
        <translation>将两位（二级）编码归并到其一级类（code // 10）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="179"/>
        <source>A two-digit code not in the table counts as its tens' class (21 → 2).</source>
        <translation>不在表中的两位编码计入其十位所属的类（21 → 2）。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="191"/>
        <source>Instead of the start and end rasters: its first and last years are the two dates.</source>
        <translation>代替起始和终止栅格：以其第一年和最后一年为两个时点。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="200"/>
        <source>The carbon inputs hold</source>
        <translation>碳输入的内容为</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="200"/>
        <source>Carbon density (t C/hm²)</source>
        <translation>碳密度（t C/hm²）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="200"/>
        <source>Carbon storage (t C per pixel)</source>
        <translation>碳储量（每像元 t C）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="206"/>
        <source>Density (default), or storage per pixel such as the STORAGE output of Carbon storage accounting.</source>
        <translation>碳密度（默认），或每像元碳储量，如“碳储量核算”的 STORAGE 输出。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="214"/>
        <source>Attribute the carbon change of a class by</source>
        <translation>类别碳变化的归属方式</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="214"/>
        <source>End class: change on the land that is the class at the end</source>
        <translation>终止类别：计入终止时为该类别的土地上的变化</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="214"/>
        <source>Start class: change on the land that was the class at the start</source>
        <translation>起始类别：计入起始时为该类别的土地上的变化</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="214"/>
        <source>Storage held by the class: its storage at the end minus at the start</source>
        <translation>类别持有的碳储量：终止时碳储量减去起始时碳储量</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="224"/>
        <source>Which land a class&apos;s carbon change is counted on (see the help).</source>
        <translation>类别的碳变化计入哪些土地（见帮助）。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="227"/>
        <source>Conversion set: conversions among these classes (names or codes, comma-separated)</source>
        <translation>转换集：这些类别之间的相互转换（名称或编码，逗号分隔）</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="233"/>
        <source>Its carbon change and share are reported on their own; empty: no set.</source>
        <translation>单独报告其碳变化和占比；为空：无转换集。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="271"/>
        <source>Land-use classes: {}</source>
        <translation>土地利用类别：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="275"/>
        <source>Conversion set: {}</source>
        <translation>转换集：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="281"/>
        <source>Give the carbon density either as start and end rasters or as a yearly stack (exactly one of the two).</source>
        <translation>请以起始和终止栅格或逐年时序栅格给出碳密度（二者必须且只能给出其一）。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="289"/>
        <source>Land-use classes</source>
        <translation>土地利用类别</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="291"/>
        <source>Conversion set</source>
        <translation>转换集</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="294"/>
        <source>Conversion set &apos;{}&apos; does not match the class table; no conversion set is computed. Name classes of the table in &apos;Conversion set&apos;.</source>
        <translation>转换集“{}”与类别表不匹配；不计算转换集。请在“转换集”中填写表中的类别。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="336"/>
        <source>No pixel has a land-use code of the class table at both dates in &apos;{}&apos; and &apos;{}&apos;. Codes found that are not in the table: {}. Check the class table and the nodata values.</source>
        <translation>在“{}”和“{}”中，没有像元在两个时点都具有类别表中的土地利用编码。发现的不在表中的编码：{}。请检查类别表和无数据值。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="367"/>
        <source>{}: no raster layer given</source>
        <translation>{}：未给出栅格图层</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="370"/>
        <source>Carbon density at the start and at the end are the same raster (&apos;{}&apos;, band {}): the carbon change would be 0 everywhere. Give the carbon of the start and of the end date.</source>
        <translation>起始和终止碳密度是同一个栅格（“{}”，波段 {}）：各处碳变化都将为 0。请给出起始时点和终止时点的碳数据。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="380"/>
        <source>Carbon density stack</source>
        <translation>碳密度时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="389"/>
        <source>Carbon density stack: &apos;{}&apos; has {} band; the start and the end carbon are its first and last bands (years), so it needs at least two. Give a stack of two or more years, or the start and end carbon rasters.</source>
        <translation>碳密度时序栅格：“{}”有 {} 个波段；起始和终止碳数据为其第一个和最后一个波段（年份），因此至少需要两个波段。请给出两年或更多年份的时序栅格，或起始和终止碳栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="396"/>
        <source>Carbon density at the start: {}; at the end: {}</source>
        <translation>起始碳密度：{}；终止碳密度：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="420"/>
        <source>Transition raster</source>
        <translation>转移栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="426"/>
        <source>{:,} pixels ({:,.2f} hm²) with a class of the table at both dates; {:,} pixels with nodata land use at a date left out.</source>
        <translation>{:,} 个像元（{:,.2f} hm²）在两个时点都属于表中的类别；{:,} 个在某一时点土地利用为无数据的像元已剔除。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="433"/>
        <source>{:,} pixels carry second-level codes counted as their first-level class.</source>
        <translation>{:,} 个像元为二级编码，按其一级类统计。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="439"/>
        <source>{:,} pixels ({:,.2f} hm²) have a land-use code that is not in the class table and are left out: {}. Add the codes to the class table, or set them as the layer's nodata value if they mark no data.</source>
        <translation>{:,} 个像元（{:,.2f} hm²）的土地利用编码不在类别表中，已剔除：{}。请将这些编码加入类别表，若其表示无数据，则将其设为图层的无数据值。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="447"/>
        <source>{:,} classified pixels have no carbon value in &apos;{}&apos; or &apos;{}&apos;; they count in the area matrix but not in the carbon change.</source>
        <translation>{:,} 个已分类像元在“{}”或“{}”中没有碳值；它们计入面积矩阵，但不计入碳变化。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="458"/>
        <source>Total carbon change: {:+,.2f} t. Contribution by {} class:</source>
        <translation>总碳变化：{:+,.2f} t。按{}类别的贡献：</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="462"/>
        <source>The total carbon change of the classified pixels is 0 t: contribution rates (shares of the total) are undefined and left empty.</source>
        <translation>已分类像元的总碳变化为 0 t：贡献率（占总量的比例）无定义，留空。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_contribution.py" line="485"/>
        <source>Conversions among {}: {:+,.2f} t over {:,.2f} hm², {} of the total change.</source>
        <translation>{} 之间的转换：{:+,.2f} t，面积 {:,.2f} hm²，占总变化的 {}。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="30"/>
        <source>Land-use transition and carbon contribution</source>
        <translation>土地利用转移与碳贡献</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="31"/>
        <source>land use,land-use change,transition matrix,sankey,carbon contribution,contribution rate,land cover change</source>
        <translation>land use,land-use change,transition matrix,sankey,carbon contribution,contribution rate,land cover change,土地利用,土地利用变化,转移矩阵,桑基图,碳贡献,贡献率,土地覆被变化</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="32"/>
        <source>
The land-use transition matrix between two dates (the area of every change from class i to class j), the
carbon change of each transition, and the contribution rate of each land-use class and of a chosen set of
conversions to the total carbon change, as tables and an HTML report with the matrices and flow (Sankey)
diagrams; optionally a transition raster with one styled class per i → j (docs/method.md, step 11).

Formulas

  storage of a pixel: S = carbon density × true pixel area (hm²); ΔS = S(end) − S(start)
  ΔCᵢⱼ = Σ ΔS over the pixels that went from class i (start) to class j (end);  ΔC = Σᵢⱼ ΔCᵢⱼ
  share of a transition = ΔCᵢⱼ / ΔC × 100 %
  contribution rate of class i: Rᵢ = ΔCᵢ / ΔC × 100 %

When the carbon inputs hold storage (t C per pixel) instead of density, S is the value itself. ΔCᵢ depends on
the chosen basis:

- end class (default): ΔCᵢ = Σⱼ ΔCⱼᵢ, the change on all land that is class i at the end (the pixel-based
reading used by the paper);
- start class: ΔCᵢ = Σⱼ ΔCᵢⱼ, the change on all land that was class i at the start;
- storage held by the class: ΔCᵢ = Σⱼ S(end)ⱼᵢ − Σⱼ S(start)ᵢⱼ, class i's storage at the end minus at the
start (the InVEST-style comparison: land converted into i brings its storage, land converted out takes it
away).

Each is split into persistence (ΔCᵢᵢ, pixels that stayed in i) and conversion (the rest). For every basis
the rates sum to 100 %; with gains and losses mixed a rate can be negative or above 100 %.

Conversion set (default &quot;cropland, grassland, forest&quot;): Σ ΔCᵢⱼ over all i ≠ j with i and j in the set, and
its share of ΔC (the paper: conversions among cropland, grassland and forest, 17.31 %). Classes by name (or
an unambiguous start of one) or code; empty: no set.

Classes

The class table (code, name) defaults to the first-level classes of the Chinese land-use classification
(CNLUCC, RESDC/CAS): 1 cropland, 2 forest, 3 grassland, 4 water, 5 built-up land, 6 unused land. With &quot;fold
second-level codes&quot; (default) a two-digit code not in the table counts as its first-level class, the code
divided by 10 (11–12 cropland, 21–24 forest, 31–33 grassland, 41–46 water, 51–53 built-up, 61–67 unused
land); a code listed in the table always means itself.

Data

The carbon is given either as two single-band rasters (start and end) or as a yearly carbon density stack
whose first and last years are the start and the end. All rasters must be on one grid (CRS, pixel size,
extent); they are never resampled. Pixels with nodata land use at either date are left out; pixels with a
code that is not in the table are counted per code, reported in the log and the report, and left out of the
matrix and of the shares. Pixels with a land-use change but no carbon value at a date count in the area
matrix, not in the carbon sums (reported). Pixel areas are true areas on the ellipsoid of the rasters' CRS,
for any CRS; rasters without a CRS stop the run.

References

Liu, J. et al. (2014) Spatiotemporal characteristics, patterns, and causes of land-use changes in China
since the late 1980s. J. Geogr. Sci. 24(2):195–210. Pontius, R. G., Shusas, E. &amp; McEachern, M. (2004)
Detecting important categorical land changes while accounting for persistence. Agric. Ecosyst. Environ.
101:251–268.
</source>
        <translation>
两个时点之间的土地利用转移矩阵（每种由类别 i 到类别 j 的变化面积）、各转移的碳变化，以及各土地利用类别和选定转换集对总碳变化的贡献率，输出为表格和带矩阵及流向（桑基）图的 HTML 报告；可选输出每个 i → j 为一个带样式类别的转移栅格（docs/method.md，第 11 步）。

公式

  像元碳储量：S = 碳密度 × 像元真实面积（hm²）；ΔS = S(终止) − S(起始)
  ΔCᵢⱼ = 由类别 i（起始）转为类别 j（终止）的像元上 ΔS 之和；ΔC = Σᵢⱼ ΔCᵢⱼ
  转移的占比 = ΔCᵢⱼ / ΔC × 100 %
  类别 i 的贡献率：Rᵢ = ΔCᵢ / ΔC × 100 %

碳输入为碳储量（每像元 t C）而非碳密度时，S 即为该值本身。ΔCᵢ 取决于所选的归属方式：

- 终止类别（默认）：ΔCᵢ = Σⱼ ΔCⱼᵢ，即终止时为类别 i 的所有土地上的变化（论文采用的基于像元的解读）；
- 起始类别：ΔCᵢ = Σⱼ ΔCᵢⱼ，即起始时为类别 i 的所有土地上的变化；
- 类别持有的碳储量：ΔCᵢ = Σⱼ S(终止)ⱼᵢ − Σⱼ S(起始)ᵢⱼ，即类别 i 终止时的碳储量减去起始时的碳储量（InVEST 式比较：转入 i 的土地带入其碳储量，转出的土地带走碳储量）。

每种方式都分为保持部分（ΔCᵢᵢ，保持为 i 的像元）和转换部分（其余）。任何归属方式下各贡献率之和均为 100 %；增减并存时，贡献率可能为负或超过 100 %。

转换集（默认“cropland, grassland, forest”）：集合内所有 i ≠ j 的 ΔCᵢⱼ 之和及其占 ΔC 的比例（论文：耕地、草地和林地之间的转换，17.31 %）。类别可按名称（或可唯一识别的名称开头）或编码给出；为空：无转换集。

类别

类别表（编码、名称）默认为中国土地利用分类（CNLUCC，中国科学院资源环境科学与数据中心）的一级类：1 耕地、2 林地、3 草地、4 水域、5 建设用地、6 未利用地。勾选“归并二级编码”（默认）时，不在表中的两位编码计入其一级类，即编码除以 10（11–12 耕地、21–24 林地、31–33 草地、41–46 水域、51–53 建设用地、61–67 未利用地）；表中列出的编码始终表示其自身。

数据

碳数据以两个单波段栅格（起始和终止）给出，或以逐年碳密度时序栅格给出，其第一年和最后一年即起始和终止。所有栅格必须位于同一格网（坐标参考系、像元大小、范围）；从不重采样。在任一时点土地利用为无数据的像元被剔除；编码不在表中的像元按编码计数，在日志和报告中列出，并排除在矩阵和占比之外。土地利用发生变化但某一时点没有碳值的像元计入面积矩阵，不计入碳合计（会被报告）。像元面积为栅格坐标参考系椭球面上的真实面积，适用于任何坐标参考系；没有坐标参考系的栅格会使运行中止。

参考文献

Liu, J. et al. (2014) Spatiotemporal characteristics, patterns, and causes of land-use changes in China since the late 1980s. J. Geogr. Sci. 24(2):195–210. Pontius, R. G., Shusas, E. &amp; McEachern, M. (2004) Detecting important categorical land changes while accounting for persistence. Agric. Ecosyst. Environ. 101:251–268.
</translation>
    </message>
</context>
<context>
    <name>LocalMoran</name>
    <message>
        <location filename="../algorithms/local_moran.py" line="108"/>
        <source>Inference</source>
        <translation>推断方法</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="108"/>
        <source>Auto (permutation up to 1 million cells/features, analytic above)</source>
        <translation>自动（100 万个像元/要素以内用置换检验，以上用解析法）</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="108"/>
        <source>Analytic (Anselin 1995 moments)</source>
        <translation>解析法（Anselin 1995 矩）</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="108"/>
        <source>Conditional permutation</source>
        <translation>条件置换</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="118"/>
        <source>How the p-value of each Iᵢ is obtained (see the help).</source>
        <translation>各 Iᵢ 的 p 值的获得方式（见帮助）。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="121"/>
        <source>False discovery rate correction (Benjamini–Hochberg)</source>
        <translation>错误发现率校正（Benjamini–Hochberg）</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="124"/>
        <source>Call a cell significant only below the Benjamini–Hochberg threshold over all cells.</source>
        <translation>仅当像元低于全部像元的 Benjamini–Hochberg 阈值时才判为显著。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="129"/>
        <source>(raster input)</source>
        <translation>（栅格输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="133"/>
        <source>Local Moran&apos;s I</source>
        <translation>局部莫兰指数</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="133"/>
        <source>Iᵢ of each pixel (raster input).</source>
        <translation>各像元的 Iᵢ（栅格输入）。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="139"/>
        <source>z-score of Iᵢ of each pixel (raster input).</source>
        <translation>各像元 Iᵢ 的 z 得分（栅格输入）。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="142"/>
        <source>p-value of Iᵢ of each pixel (raster input).</source>
        <translation>各像元 Iᵢ 的 p 值（栅格输入）。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="145"/>
        <source>Quadrant</source>
        <translation>象限</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="145"/>
        <source>HH, LL, HL, LH of each pixel, significant or not (raster input).</source>
        <translation>各像元的 HH、LL、HL、LH 象限，无论显著与否（栅格输入）。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="152"/>
        <source>LISA features (vector input)</source>
        <translation>LISA 要素（矢量输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="159"/>
        <source>The input features with the LISA fields (vector input).</source>
        <translation>附带 LISA 字段的输入要素（矢量输入）。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="208"/>
        <source>No output requested; choose at least one output file.</source>
        <translation>未请求任何输出；请至少选择一个输出文件。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="218"/>
        <source>&apos;{}&apos;{}: {:,} valid cells, {:,} analysed with {} contiguity (row-standardised over valid neighbours), {:,} isolated. Mean {:.6g}, m2 {:.6g}, kurtosis b2 {:.4g}; global I (mean of Ii) {:.6g}.</source>
        <translation>“{}”{}：{:,} 个有效像元，{:,} 个以{}邻接参与分析（在有效邻域上行标准化），{:,} 个孤立。均值 {:.6g}，m2 {:.6g}，峰度 b2 {:.4g}；全局 I（Ii 的均值）{:.6g}。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="253"/>
        <source>Inference: {}{}; {}.</source>
        <translation>推断方法：{}{}；{}。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="259"/>
        <source>Layer &apos;{}&apos;</source>
        <translation>图层“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="313"/>
        <source>Could not write feature {} to the output</source>
        <translation>无法将要素 {} 写入输出</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="323"/>
        <source>LISA classes of &apos;{}&apos; (shares by {}):</source>
        <translation>“{}”的 LISA 类别（按{}计的占比）：</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="33"/>
        <source>Local Moran&apos;s I (LISA)</source>
        <translation>局部莫兰指数（LISA）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="34"/>
        <source>lisa,local moran,moran&apos;s i,hotspot,hot spot,hotspots,cold spot,cluster,high-high,low-low,spatial autocorrelation</source>
        <translation>lisa,local moran,moran's i,hotspot,hot spot,hotspots,cold spot,cluster,high-high,low-low,spatial autocorrelation,局部莫兰指数,莫兰指数,热点,冷点,聚集,高–高聚集,低–低聚集,空间自相关</translation>
    </message>
</context>
<context>
    <name>PlotCarbonDensity</name>
    <message>
        <location filename="../build/i18n/extracted.py" line="35"/>
        <source>Plot carbon density</source>
        <translation>样地碳密度</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="195"/>
        <source>The plots with all their fields plus C_above, C_below, C_litter, C_soil, C_total (t C/hm²) and problem.</source>
        <translation>样地及其全部字段，另加 C_above、C_below、C_litter、C_soil、C_total（t C/hm²）和 problem。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="202"/>
        <source>Plots with problems</source>
        <translation>有问题的样地</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="203"/>
        <source>Plots with implausible values</source>
        <translation>数值不合理的样地</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="260"/>
        <source>Allometry table (fields group, form, a, b; empty: the shipped default table)</source>
        <translation>异速生长方程表（字段 group、form、a、b；为空：随插件提供的默认表）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="266"/>
        <source>One equation per species group: B = a·D^b (form D) or a·(D²·H)^b (form D2H).</source>
        <translation>每个树种组一个方程：B = a·D^b（形式 D）或 a·(D²·H)^b（形式 D2H）。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="272"/>
        <source>Tree plot area (m²)</source>
        <translation>乔木样地面积（m²）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="279"/>
        <source>Area of the plot the trees were measured in (50 m × 50 m).</source>
        <translation>测量乔木的样地面积（50 m × 50 m）。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="286"/>
        <source>{} fresh weight per quadrat</source>
        <translation>{}每样方鲜重</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="286"/>
        <source>Fresh weight harvested in the {} quadrat (unit below); 0 for an empty quadrat.</source>
        <translation>{}样方中收获的鲜重（单位见下）；空样方为 0。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="296"/>
        <source>{} dry/fresh ratio</source>
        <translation>{}干鲜比</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="296"/>
        <source>Dry weight over fresh weight of the {} sample (above 0, at most 1).</source>
        <translation>{}样品的干重与鲜重之比（大于 0，至多为 1）。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="306"/>
        <source>Unit of the fresh weights</source>
        <translation>鲜重单位</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="309"/>
        <source>Unit of every fresh weight field.</source>
        <translation>所有鲜重字段的单位。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="324"/>
        <source>Soil layer {}: {}</source>
        <translation>土壤层 {}：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="331"/>
        <source>Soil layer thickness where no thickness field is given (cm)</source>
        <translation>未给出厚度字段时的土层厚度（cm）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="338"/>
        <source>Used for every soil layer without a thickness field.</source>
        <translation>用于所有没有厚度字段的土壤层。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="344"/>
        <source>Ecosystem types (table)</source>
        <translation>生态系统类型（表）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="353"/>
        <source>Per ecosystem type: root:shoot ratio, tree layer (1/0), shrub and herb quadrat areas (m²).</source>
        <translation>按生态系统类型：根冠比、乔木层（1/0）、灌木和草本样方面积（m²）。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="374"/>
        <source>Carbon per unit of dry biomass (IPCC default 0.47).</source>
        <translation>单位干生物量的含碳量（IPCC 默认值 0.47）。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="377"/>
        <source>Keep plots with implausible values in C_total (they stay flagged)</source>
        <translation>数值不合理的样地仍计入 C_total（保留标记）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="383"/>
        <source>Compute C_total from values outside the plausible ranges too; they stay flagged.</source>
        <translation>对超出合理范围的数值也计算 C_total；它们保留标记。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="389"/>
        <source>Plausible ranges (fields quantity, min, max; empty: the shipped table)</source>
        <translation>合理范围（字段 quantity、min、max；为空：随插件提供的表）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="395"/>
        <source>A table with the fields quantity, min, max; empty: core/carbon/data/plausible_ranges.csv in the plugin folder.</source>
        <translation>含字段 quantity、min、max 的表；为空：插件文件夹中的 core/carbon/data/plausible_ranges.csv。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="413"/>
        <source>Give both the {} fresh weight field and the {} dry/fresh ratio field.</source>
        <translation>请同时给出{}鲜重字段和{}干鲜比字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="419"/>
        <source>Soil layer {}: give at least the SOC and the bulk density fields.</source>
        <translation>土壤层 {}：至少给出 SOC 和容重字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="582"/>
        <source>With a tree table, choose its {} field.</source>
        <translation>给出乔木表时，请选择其{}字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="453"/>
        <source>Tree table &apos;{}&apos;</source>
        <translation>乔木表“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="454"/>
        <source>Layer &apos;{}&apos;</source>
        <translation>图层“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="493"/>
        <source>Layer &apos;{}&apos; has no plots</source>
        <translation>图层“{}”没有样地</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="513"/>
        <source>Soil layer {}: SOC &apos;{}&apos;, BD &apos;{}&apos;, thickness {}, gravel {}</source>
        <translation>土壤层 {}：SOC “{}”，容重 “{}”，厚度 {}，砾石 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="513"/>
        <source>{:g} cm (no field given)</source>
        <translation>{:g} cm（未给出字段）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="513"/>
        <source>0 (no field given)</source>
        <translation>0（未给出字段）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="536"/>
        <source>{:,} plots: {:,} without problems, {:,} with problems ({:,} of them with implausible values); C_total NULL for {:,}; {:,} tree row(s) not matched to a plot.</source>
        <translation>{:,} 个样地：{:,} 个无问题，{:,} 个有问题（其中 {:,} 个数值不合理）；{:,} 个 C_total 为 NULL；{:,} 行乔木记录未匹配到样地。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="543"/>
        <source>{:,} plot(s) have values outside their plausible range (see the problem field): {}</source>
        <translation>{:,} 个样地的数值超出合理范围（见 problem 字段）：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="543"/>
        <source>kept in C_total as requested.</source>
        <translation>已按要求计入 C_total。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="543"/>
        <source>their C_total is NULL. Correct the values, widen the ranges, or check &apos;Keep plots with implausible values&apos;.</source>
        <translation>其 C_total 为 NULL。请修正数值、放宽范围，或勾选“数值不合理的样地仍计入 C_total”。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="558"/>
        <source>C_total where computed ({:,} plots): mean {:.2f}, min {:.2f}, max {:.2f} t C/hm²</source>
        <translation>已计算的 C_total（{:,} 个样地）：均值 {:.2f}，最小 {:.2f}，最大 {:.2f} t C/hm²</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="585"/>
        <source>Tree table &apos;{}&apos;: {:,} trees</source>
        <translation>乔木表“{}”：{:,} 株</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="591"/>
        <source>Allometry: the shipped default table (core/carbon/data/allometry_default.csv): general equations of Jenkins et al. (2003), illustrative defaults — replace them with local equations.</source>
        <translation>异速生长方程：随插件提供的默认表（core/carbon/data/allometry_default.csv）：Jenkins 等（2003）的通用方程，仅为示例默认值——请替换为本地方程。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="599"/>
        <source>Allometry table</source>
        <translation>异速生长方程表</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="600"/>
        <source>Allometry table &apos;{}&apos;</source>
        <translation>异速生长方程表“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="602"/>
        <source>Allometry: {} species groups from &apos;{}&apos;</source>
        <translation>异速生长方程：来自“{1}”的 {0} 个树种组</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="610"/>
        <source>Plausible ranges table</source>
        <translation>合理范围表</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="613"/>
        <source>Plausible ranges table &apos;{}&apos;</source>
        <translation>合理范围表“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="615"/>
        <source>Plausible ranges from &apos;{}&apos;: {}</source>
        <translation>来自“{}”的合理范围：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="627"/>
        <source>{} &apos;{}&apos; has no field(s) {}; it needs {} (and optionally {}). Its fields are: {}</source>
        <translation>{}“{}”缺少字段 {}；需要 {}（可选 {}）。其字段为：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="651"/>
        <source>Ecosystem types: the table needs {} columns ({})</source>
        <translation>生态系统类型：该表需要 {} 列（{}）</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="662"/>
        <source>Ecosystem types, row {}: the type name is empty</source>
        <translation>生态系统类型，第 {} 行：类型名称为空</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="674"/>
        <source>Ecosystem types, row {} (&apos;{}&apos;): {}. Columns: {}</source>
        <translation>生态系统类型，第 {} 行（“{}”）：{}。列：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="680"/>
        <source>Ecosystem types: &apos;{}&apos; is listed twice</source>
        <translation>生态系统类型：“{}”重复列出</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="690"/>
        <source>Field &apos;{}&apos; of the input is replaced by the computed one.</source>
        <translation>输入的字段“{}”被计算结果替换。</translation>
    </message>
    <message>
        <location filename="../algorithms/plot_carbon_density.py" line="718"/>
        <source>Could not write plot {} to the output</source>
        <translation>无法将样地 {} 写入输出</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="36"/>
        <source>plot carbon,field inventory,biomass,allometry,soil organic carbon,soc,carbon pools,survey plots</source>
        <translation>plot carbon,field inventory,biomass,allometry,soil organic carbon,soc,carbon pools,survey plots,样地碳,野外调查,生物量,异速生长,土壤有机碳,碳库,调查样地</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="37"/>
        <source>
Carbon density of every survey plot in four pools and in total, in t C/hm² (= Mg C/ha), from the field
inventory (docs/method.md, step 1):

  C_total = C_above + C_below + C_litter + C_soil

The output is the plot layer with all its fields plus C_above, C_below, C_litter, C_soil, C_total and a
problem field.

Trees

Optional tree table (any table layer or CSV: one row per tree with plot id, species group, DBH in cm and
height in m). Each tree's above-ground dry biomass B (kg) comes from the equation of its species group in the
allometry table:

  B = a · Dᵇ (form D)  or  B = a · (D² · H)ᵇ (form D2H)
  tree biomass of a plot (t/hm²) = Σ B / 1000 / (A / 10 000) = 10 · Σ B / A

with A the tree plot area in m² (default 50 m × 50 m = 2500). The allometry table is a table layer with the
fields group, form, a, b (and source); left empty, the table shipped with the plugin is used: general
temperate equations of Jenkins et al. (2003) assigned to common species groups of the Loess Plateau and
Ningxia. They are illustrative defaults: replace them with local equations (e.g. Luo et al. 2020, or the
LY/T standards). A species group missing from the table stops the run and is named.

Shrubs, herbs, litter

Fields with the fresh weight harvested in the quadrat (g by default, or kg) and the dry/fresh ratio of the
sample: dry biomass (g/m²) = fresh weight × ratio / quadrat area; 1 g/m² = 0.01 t/hm². Quadrat sizes are
per ecosystem type (table below): herbs 1 m × 1 m, 2 m × 2 m in wetland, as in the method; litter is taken
from the herb quadrat. Enter 0 for an empty quadrat: an empty (NULL) value is a problem, not a zero.

Roots, carbon

Below-ground biomass = above-ground biomass (trees + shrubs + herbs) × the root:shoot ratio of the plot's
ecosystem type. Carbon = biomass × carbon fraction of the pool (default 0.47, IPCC 2006).

Ecosystem types

A table with one row per ecosystem type, matched to the plots' ecosystem type field ignoring case: root:shoot
ratio, whether the type has a tree layer (1: a plot of this type without any tree in the tree table is a
problem), the shrub quadrat and the herb/litter quadrat areas in m² (left empty: the defaults). Defaults:
root:shoot ratios are the China-wide medians of Wang et al. (2014): forest 0.23, shrubland 0.73, grassland
6.0; cropland 0.22 (IPCC 2006 Table 11.2, maize); wetland has no default ratio: enter a local one, otherwise
wetland plots get a problem. The 5 m × 5 m shrub quadrat is a placeholder (the method gives no size).

Soil

Up to three layers, each chosen as fields (SOC in g/kg, bulk density in g/cm³, thickness in cm, gravel
volume fraction):

  SOCD (t C/hm²) = SOC × BD × thickness × (1 − gravel) / 10, summed over the layers

One field per quantity and layer (rather than a naming pattern), so the fields of any survey sheet can be
used as they are, each is checked on its own and the messages name it. Without a thickness field the soil
layer thickness parameter (default 10 cm) is used; without a gravel field gravel is 0.

Problems

Missing or impossible values are never turned into zeros: the pool concerned and C_total are NULL, and the
problem field and the log say what is wrong, by plot id: negative weights, dry ratios not above 0 or above 1,
bulk density above 2.65 g/cm³, gravel outside 0–1 (1 excluded), SOC outside 0–1000 g/kg, missing values,
unknown ecosystem types, duplicated plot ids, trees with a missing or non-positive DBH or height, plots with
a tree layer but no tree, and tree rows whose plot id is not among the plots. A pool for which no field is
given is not measured: it stays NULL and C_total is the sum of the measured pools (the log says which).

Implausible values

One typing error can multiply a plot's carbon: a DBH of 1020 cm for 10.2 turns about 60 t C/hm² into about
3900. Values that are possible but implausible are checked against a table of plausible ranges (the
defaults, with their sources, are in core/carbon/data/plausible_ranges.csv in the plugin folder and its
README): DBH 2.5–300 cm, height 1.3–60 m (any height given, also for equations that do not use it, so a
negative height is reported), fresh weight per m² of quadrat 0–20 000 g (shrubs) and 0–10 000 g (herbs,
litter), dry/fresh ratio 0.05–1, SOC 0–580 g/kg, bulk density 0.05–2.0 g/cm³, gravel 0–0.9, layer thickness
1–100 cm. A plot with such a value is flagged in the problem field and the log and counted (N_IMPLAUSIBLE, and
in N_PROBLEMS); its affected pool and C_total are NULL unless &quot;Keep plots with implausible values&quot; is checked,
in which case they are computed from the values as given and stay flagged. To use other ranges, give a table
(CSV or layer) with the fields quantity, min, max (quantities dbh, height, shrub_fresh, herb_fresh,
litter_fresh, dry_ratio, soc, bulk_density, gravel, depth; an empty bound is open; a quantity left out is not
checked).

References

IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 4, Tables 4.3 and 11.2. Jenkins, J. C.
et al. (2003) National-scale biomass estimators for United States tree species. Forest Science 49:12–35.
Luo, Y. et al. (2020) Earth Syst. Sci. Data 12:21–40. Wang, L. et al. (2014) PLoS ONE 9(4):e93566. Mokany,
K. et al. (2006) Global Change Biology 12:84–96. Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755.
</source>
        <translation>
由野外调查数据计算各调查样地四个碳库及总碳密度，单位 t C/hm²（= Mg C/ha）（docs/method.md，第 1 步）：

  C_total = C_above + C_below + C_litter + C_soil

输出为样地图层及其全部字段，另加 C_above、C_below、C_litter、C_soil、C_total 和 problem 字段。

乔木

可选的乔木表（任何表图层或 CSV：每株一行，含样地编号、树种组、以 cm 计的胸径和以 m 计的树高）。每株乔木的地上干生物量 B（kg）由异速生长方程表中其树种组的方程计算：

  B = a · Dᵇ（形式 D）或 B = a · (D² · H)ᵇ（形式 D2H）
  样地乔木生物量（t/hm²）= Σ B / 1000 / (A / 10 000) = 10 · Σ B / A

其中 A 为以 m² 计的乔木样地面积（默认 50 m × 50 m = 2500）。异速生长方程表是带有字段 group、form、a、b（及 source）的表图层；留空时使用随插件提供的表：Jenkins 等（2003）的温带通用方程，分配给黄土高原和宁夏的常见树种组。它们只是示例默认值：请替换为本地方程（如 Luo 等 2020，或 LY/T 标准）。表中缺少的树种组会使运行中止并给出其名称。

灌木、草本、凋落物

样方中收获的鲜重字段（默认 g，或 kg）及样品的干鲜比：干生物量（g/m²）= 鲜重 × 干鲜比 / 样方面积；1 g/m² = 0.01 t/hm²。样方大小按生态系统类型设定（见下表）：草本 1 m × 1 m，湿地为 2 m × 2 m，与方法一致；凋落物取自草本样方。空样方请填 0：空值（NULL）是问题，而不是零。

根系、碳

地下生物量 = 地上生物量（乔木 + 灌木 + 草本）× 样地生态系统类型的根冠比。碳 = 生物量 × 该碳库的含碳率（默认 0.47，IPCC 2006）。

生态系统类型

每个生态系统类型一行的表，与样地的生态系统类型字段匹配时不区分大小写：根冠比、该类型是否有乔木层（1：此类型的样地若在乔木表中没有任何乔木即为问题）、以 m² 计的灌木样方和草本/凋落物样方面积（留空：默认值）。默认值：根冠比取 Wang 等（2014）的全国中位数：森林 0.23、灌丛 0.73、草地 6.0；农田 0.22（IPCC 2006 表 11.2，玉米）；湿地没有默认根冠比：请填写本地值，否则湿地样地会被标记为问题。5 m × 5 m 的灌木样方只是占位值（方法未给出大小）。

土壤

最多三层，每层以字段指定（SOC 以 g/kg 计，容重以 g/cm³ 计，厚度以 cm 计，砾石体积分数）：

  SOCD（t C/hm²）= SOC × BD × 厚度 × (1 − 砾石) / 10，对各层求和

每个量和每层各用一个字段（而非命名模式），这样任何调查表的字段都可直接使用，每个字段单独检查，消息中会指明其名称。没有厚度字段时使用土层厚度参数（默认 10 cm）；没有砾石字段时砾石为 0。

问题

缺失或不可能的值绝不会被当作零：相关碳库和 C_total 为 NULL，problem 字段和日志按样地编号说明问题所在：负的重量、干鲜比不大于 0 或大于 1、容重大于 2.65 g/cm³、砾石不在 0–1 之间（不含 1）、SOC 不在 0–1000 g/kg 之间、缺失值、未知的生态系统类型、重复的样地编号、胸径或树高缺失或不为正的乔木、有乔木层却没有乔木的样地，以及样地编号不在样地中的乔木记录。未给出任何字段的碳库视为未测量：保持为 NULL，C_total 为已测量碳库之和（日志会说明是哪些）。

不合理的值

一个录入错误就可能使样地碳成倍增加：把 10.2 cm 的胸径误录为 1020 cm，会使约 60 t C/hm² 变为约 3900。对可能出现但不合理的值，按合理范围表进行检查（默认值及其来源见插件文件夹中的 core/carbon/data/plausible_ranges.csv 及其 README）：胸径 2.5–300 cm，树高 1.3–60 m（任何给出的树高都会检查，包括方程中未用到树高的情况，因此负的树高会被报告），每 m² 样方鲜重 0–20 000 g（灌木）和 0–10 000 g（草本、凋落物），干鲜比 0.05–1，SOC 0–580 g/kg，容重 0.05–2.0 g/cm³，砾石 0–0.9，土层厚度 1–100 cm。含有此类值的样地会在 problem 字段和日志中被标记并计数（N_IMPLAUSIBLE，并计入 N_PROBLEMS）；除非勾选“数值不合理的样地仍计入 C_total”，其受影响的碳库和 C_total 为 NULL；勾选时按给出的值计算，并保留标记。要使用其他范围，请给出带字段 quantity、min、max 的表（CSV 或图层）（quantity 可为 dbh、height、shrub_fresh、herb_fresh、litter_fresh、dry_ratio、soc、bulk_density、gravel、depth；空的界限表示不设限；未列出的量不检查）。

参考文献

IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 4, Tables 4.3 and 11.2. Jenkins, J. C. et al. (2003) National-scale biomass estimators for United States tree species. Forest Science 49:12–35. Luo, Y. et al. (2020) Earth Syst. Sci. Data 12:21–40. Wang, L. et al. (2014) PLoS ONE 9(4):e93566. Mokany, K. et al. (2006) Global Change Biology 12:84–96. Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755.
</translation>
    </message>
</context>
<context>
    <name>PredictCarbonDensity</name>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="125"/>
        <source>Years to predict (empty: the years all yearly factors have)</source>
        <translation>预测年份（为空：所有逐年因子共有的年份）</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="130"/>
        <source>e.g. 2001-2024 or 2001,2005,2010; every yearly factor must have each of them.</source>
        <translation>例如 2001-2024 或 2001,2005,2010；每个逐年因子都必须具有这些年份。</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="158"/>
        <source>Give the factor rasters: static factors, yearly factors, or both.</source>
        <translation>请给出因子栅格：静态因子、逐年因子或二者。</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="164"/>
        <source>No model file given</source>
        <translation>未给出模型文件</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="177"/>
        <source>Not used by the model, ignored: {}</source>
        <translation>模型未使用，已忽略：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="286"/>
        <source>Predicting {} year(s): {}</source>
        <translation>正在预测 {} 年：{}</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="38"/>
        <source>Predict annual carbon density</source>
        <translation>预测逐年碳密度</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="224"/>
        <source>{}: model &apos;{}&apos; has no prediction interval (it was trained with interval level 0). Retrain it with an interval level, or leave this output out.</source>
        <translation>{}：模型“{}”没有预测区间（训练时区间水平为 0）。请设置区间水平重新训练，或不输出此项。</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="228"/>
        <source>{}: model &apos;{}&apos; has no area of applicability (a model file of an older version). Retrain it with this version, or leave this output out.</source>
        <translation>{}：模型“{}”没有适用域（旧版本的模型文件）。请用本版本重新训练，或不输出此项。</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="242"/>
        <source>{:.1f} % of the predicted pixels ({:,}) have a factor outside the range of the training points in some year: the model extrapolates there.</source>
        <translation>{:.1f} % 的预测像元（{:,}）在某一年有因子超出训练点的取值范围：模型在这些像元上外推。</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="242"/>
        <source>{:.1f} % of the predicted pixels ({:,}) lie outside the area of applicability in some year: their factors are unlike those of any training point.</source>
        <translation>{:.1f} % 的预测像元（{:,}）在某一年位于适用域之外：其因子与任何训练点都不相似。</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="256"/>
        <source> Read the prediction there with caution.</source>
        <translation>这些位置的预测值请谨慎解读。</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="260"/>
        <source>Write the dissimilarity index or the area of applicability to have the share of pixels outside the area of applicability counted.</source>
        <translation>输出相异度指数或适用域，即可统计位于适用域之外的像元比例。</translation>
    </message>
    <message>
        <location filename="../algorithms/predict_carbon_density.py" line="274"/>
        <source>Model: {} of {} trees on {} factors ({} compiled to lookup tables), target &apos;{}&apos;.</source>
        <translation>模型：{}，{} 棵树，{} 个因子（{} 个编译为查找表），目标“{}”。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="39"/>
        <source>random forest,gradient boosting,xgboost,prediction,carbon density,annual carbon density,machine learning,regression,prediction interval,uncertainty,area of applicability,dissimilarity index</source>
        <translation>random forest,gradient boosting,xgboost,prediction,carbon density,annual carbon density,machine learning,regression,prediction interval,uncertainty,area of applicability,dissimilarity index,随机森林,梯度提升,XGBoost,预测,碳密度,逐年碳密度,机器学习,回归,预测区间,不确定性,适用域,相异度指数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="40"/>
        <source>
Applies a model from &quot;Train carbon density model&quot; to the factor rasters of each year and writes one carbon
density stack (t C/hm²) with one band per year, the year as band description, nodata where any factor is
missing (docs/method.md, step 5). The rasters are read and predicted block by block, so any size fits in
memory; the values are those scikit-learn's predict gives for the same model, to the last bit.

Naming the factor rasters

The model knows its factors by name (the layer names it was trained on, e.g. NPP, NDVI, AP, MAT, DEM). Every
factor of the model must be given exactly once, and nothing else (unless &quot;Ignore given factors the model does
not use&quot; is ticked, as in the whole-study model, which passes every candidate): a missing or an extra factor
stops the run with its name.

- Static factors: single-band rasters used for every year, each named after its factor (e.g. a layer DEM).
- Yearly factors, per factor either one multi-band stack named after the factor (e.g. NPP), one band per
year, with the year in each band description (2001, 2002 …; the stacks of this plugin have them), or
single-band rasters named factor_year (NPP_2001, NPP_2002 …), grouped by the part before the last
underscore; the year is 1800–2199, as in training (a layer NPP_1750 is the factor NPP_1750, not a year of
NPP).

A layer is a stack when it has more than one band and a single year otherwise, so the two forms cannot be
confused. The layer name is what QGIS shows in the Layers panel (for a file added by path: the file name
without extension).

Years

Empty (default): every year that all yearly factors have (a year missing for one factor is left out, and the
log says so). Or a list such as 2001-2024 or 2001,2005,2010: every yearly factor must have each of these
years, or the run stops naming the factor and the year. When all factors are static the output has one band.

Checks

All rasters must be on one grid (same CRS, extent and pixel size; nothing is resampled). The model file is
validated before use (see the training help); a file that was edited, damaged or is not a model of this
plugin is refused. When the rasters' CRS differs from the CRS of the training rasters recorded in the model,
a warning is given: the factor values are the same whatever the CRS, but check that the rasters are the same
products.

Uncertainty and area of applicability (optional outputs, one band per year like the density)

- Lower and upper bound of the prediction interval (t C/hm²) at the level the model was trained with
(INTERVAL_LEVEL of the training; calibrated there on the cross-validation): for a Random Forest the leaf
quantiles of its training values (quantile regression forest), for gradient boosting its quantile-loss
models. A model trained with interval level 0 has none, and asking for the bounds stops the run.
- Dissimilarity index (DI): distance of the pixel's factors to the nearest training point in standardised,
importance-weighted factor space, over the mean distance between training points (Meyer &amp; Pebesma 2021).
- Area of applicability: 1 where DI ≤ the threshold learnt in training, 0 where the model extrapolates.
The log gives the share of predicted pixels outside the area of applicability in some year (when the DI or
the mask is written) and the share with a factor outside the range of the training points in some year;
a warning when either is above 10 %. Both shares are outputs (OUTSIDE_AOA_PERCENT, OUTSIDE_RANGE_PERCENT).

References

Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Meinshausen, N. (2006) Quantile regression
forests. JMLR 7:983–999. Meyer, H. &amp; Pebesma, E. (2021) Predicting into unknown space? Estimating the area of
applicability of spatial prediction models. Methods in Ecology and Evolution 12:1620–1633.
</source>
        <translation>
将“训练碳密度模型”得到的模型应用于各年份的因子栅格，写出一个碳密度时序栅格（t C/hm²），每年一个波段，年份作为波段描述，任一因子缺失处为无数据（docs/method.md，第 5 步）。栅格逐块读取和预测，因此任意大小都能放入内存；预测值与 scikit-learn 对同一模型的 predict 结果逐位相同。

因子栅格的命名

模型按名称识别其因子（训练时所用的图层名称，如 NPP、NDVI、AP、MAT、DEM）。模型的每个因子都必须恰好给出一次，且不能给出其他因子（除非勾选“忽略模型未使用的给定因子”，如整体研究模型传入全部候选因子时）：缺少或多出的因子会使运行中止并给出其名称。

- 静态因子：用于每一年的单波段栅格，各以其因子命名（如图层 DEM）。
- 逐年因子：每个因子可以是一个以因子命名的多波段时序栅格（如 NPP），每年一个波段，年份写在各波段描述中（2001、2002…；本插件的时序栅格都带有），也可以是命名为 因子_年份 的单波段栅格（NPP_2001、NPP_2002…），按最后一个下划线之前的部分分组；年份为 1800–2199，与训练时相同（图层 NPP_1750 是因子 NPP_1750，而不是 NPP 的某一年）。

图层有多个波段时为时序栅格，否则为单一年份，因此两种形式不会混淆。图层名称即 QGIS 图层面板中显示的名称（按路径添加的文件：不带扩展名的文件名）。

年份

为空（默认）：所有逐年因子共有的每一年（某个因子缺少的年份被排除，日志会说明）。或给出列表，如 2001-2024 或 2001,2005,2010：每个逐年因子都必须具有这些年份，否则运行中止并指明因子和年份。所有因子均为静态时，输出只有一个波段。

检查

所有栅格必须位于同一格网（相同的坐标参考系、范围和像元大小；不做重采样）。模型文件在使用前会被验证（见训练的帮助）；被编辑过、已损坏或不是本插件模型的文件会被拒绝。当栅格的坐标参考系与模型记录的训练栅格坐标参考系不同时会给出警告：因子值与坐标参考系无关，但请检查栅格是否为相同的产品。

不确定性与适用域（可选输出，与碳密度一样每年一个波段）

- 预测区间的下限和上限（t C/hm²），区间水平为模型训练时的水平（训练的 INTERVAL_LEVEL；在训练时基于交叉验证校准）：随机森林取其训练值的叶节点分位数（分位数回归森林），梯度提升取其分位数损失模型。以区间水平 0 训练的模型没有预测区间，要求输出上下限会使运行中止。
- 相异度指数（DI）：在标准化并按重要性加权的因子空间中，像元的因子到最近训练点的距离，除以训练点之间的平均距离（Meyer &amp; Pebesma 2021）。
- 适用域：DI ≤ 训练时学习到的阈值处为 1，模型外推处为 0。
日志给出在某一年位于适用域之外的预测像元比例（输出 DI 或掩膜时），以及在某一年有因子超出训练点取值范围的像元比例；任一比例超过 10 % 时给出警告。两个比例都是输出（OUTSIDE_AOA_PERCENT、OUTSIDE_RANGE_PERCENT）。

参考文献

Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Meinshausen, N. (2006) Quantile regression forests. JMLR 7:983–999. Meyer, H. &amp; Pebesma, E. (2021) Predicting into unknown space? Estimating the area of applicability of spatial prediction models. Methods in Ecology and Evolution 12:1620–1633.
</translation>
    </message>
</context>
<context>
    <name>PreparationAlgorithm</name>
    <message>
        <location filename="../algorithms/support/preparation.py" line="71"/>
        <source>No input: give input layers or files, or a folder of downloaded files.</source>
        <translation>无输入：请给出输入图层或文件，或已下载文件所在的文件夹。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/preparation.py" line="98"/>
        <source>Give the pixel size of the grid: the first input &apos;{}&apos; is not in the grid&apos;s CRS ({}), so its pixel size cannot be taken.</source>
        <translation>请给出格网的像元大小：第一个输入“{}”不在格网的坐标参考系（{}）中，无法取用其像元大小。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/preparation.py" line="138"/>
        <source>Study boundary</source>
        <translation>研究区边界</translation>
    </message>
    <message>
        <location filename="../algorithms/support/preparation.py" line="140"/>
        <source>Study boundary &apos;{}&apos; holds no polygon</source>
        <translation>研究区边界“{}”不含多边形</translation>
    </message>
    <message>
        <location filename="../algorithms/support/preparation.py" line="150"/>
        <source>Classes to leave out: &apos;{}&apos; is not a list of class codes like 13,17</source>
        <translation>要剔除的类别：“{}”不是形如 13,17 的类别编码列表</translation>
    </message>
    <message>
        <location filename="../algorithms/support/preparation.py" line="164"/>
        <source>{}: {} band(s) of {} input(s), {}; grid {} × {} pixels of {:g} × {:g} in {}{} (upper left {:.6g}, {:.6g}); resampling {}.</source>
        <translation>{}：{} 个波段，来自 {} 个输入，{}；格网 {} × {} 像元，像元大小 {:g} × {:g}，坐标参考系 {}{}（左上角 {:.6g}, {:.6g}）；重采样 {}。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/preparation.py" line="214"/>
        <source>Classes to leave out need both the class raster and the class codes (e.g. 13,17).</source>
        <translation>要剔除的类别需要同时给出分类栅格和类别编码（如 13,17）。</translation>
    </message>
</context>
<context>
    <name>PrepareStack</name>
    <message>
        <location filename="../algorithms/prepare_stack.py" line="96"/>
        <source>Yearly (one band per year)</source>
        <translation>逐年（每年一个波段）</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stack.py" line="97"/>
        <source>Monthly → annual sum (e.g. precipitation)</source>
        <translation>逐月 → 年总和（如降水）</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stack.py" line="98"/>
        <source>Monthly → annual mean (e.g. temperature)</source>
        <translation>逐月 → 年均值（如气温）</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stack.py" line="99"/>
        <source>Static (one band, no year: DEM, soil…)</source>
        <translation>静态（一个波段，无年份：DEM、土壤…）</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stack.py" line="103"/>
        <source>Yearly time step only: the years of the input bands in input order, e.g. 2001-2024.</source>
        <translation>仅用于逐年时间步长：输入波段按输入顺序对应的年份，例如 2001-2024。</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stack.py" line="178"/>
        <source>{}: {} band(s) written to {}: {}; {:,} pixels inside the study area.</source>
        <translation>{}：{} 个波段已写入 {}：{}；研究区内 {:,} 个像元。</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stack.py" line="178"/>
        <source>static</source>
        <translation>静态</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="41"/>
        <source>Prepare an aligned yearly stack</source>
        <translation>准备对齐的逐年时序栅格</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="42"/>
        <source>preprocessing,resample,reproject,align,warp,netcdf,modis,hdf,monthly to annual,stack,mask,clip</source>
        <translation>preprocessing,resample,reproject,align,warp,netcdf,modis,hdf,monthly to annual,stack,mask,clip,预处理,重采样,重投影,对齐,逐月转逐年,时序栅格,掩膜,裁剪</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="43"/>
        <source>
Turns the files of one variable as they were downloaded (GeoTIFF, netCDF variables, HDF subdatasets such as
MODIS, anything GDAL reads, in any CRS and resolution, yearly or monthly) into the aligned yearly stack every
other algorithm takes: one multi-band GeoTIFF on the reference grid, one band per year with the year as its
description, masked by the study boundary (docs/method.md, &quot;Data preparation&quot;). This is the study's
preprocessing: all spatial data resampled to one resolution and projected into one coordinate system. Run it
once per variable (NPP, NDVI, precipitation, temperature, DEM, land use …) with the same grid and boundary,
so that all stacks share one grid and one mask; in a model, chain one instance per variable.

Steps

- Dates: from the CF time axis of netCDF files (time with its units and calendar), else the band description
or YEAR/DATE metadata, else the file name (npp_2003.tif, pr_2003_07.tif, MOD17A3HGF.A2003001…hdf), else the
years given. A file without any, or the same year (month) on two inputs, stops the run naming the files.
- Values: stored values equal to nodata or outside the valid range (in stored units, as the product guides
give it: MODIS NPP 0–32700; the fill codes 32761–32767 are not data) are missing; then value = stored ×
scale + offset (empty: the raster's own scale and offset).
- Alignment: GDAL Warp reprojects and resamples the valid values to the grid: average (default: the mean of
the valid source pixels covering each pixel, weighted by coverage) or bilinear for continuous data, mode
(most frequent) or nearest for classes; missing values never enter an average. The grid is a reference
raster's, or a CRS, a pixel size and an extent (by default the boundary's, else the inputs'), its edges
snapped to multiples of the pixel size. A raster without a CRS is used only if it is already on the grid.
- Monthly to annual: annual sum (precipitation: the mean of the valid months × 12, which is the plain sum when
all 12 are valid) or mean (temperature); a pixel with fewer valid months than the minimum (default 12) is
nodata.
- Mask: pixels whose centre is outside the study boundary, and pixels of the classes to leave out (e.g. water,
built-up, from a land-use raster taken to the grid by nearest neighbour) are nodata in every band.

The log and the optional table say, for every input band, its date and where it came from, its CRS and pixel
size, how it was resampled, nodata, valid range (values masked), scale and offset.

References

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755, section 2.1. Eaton, B. et al. (2023) NetCDF Climate
and Forecast (CF) Metadata Conventions 1.11, sections 4.4 and 8.1. Running, S. W. &amp; Zhao, M. (2021) MOD17
User's Guide, collection 6.1 (valid range and fill values). GDAL Warp: https://gdal.org/programs/gdalwarp.html
</source>
        <translation>
将一个变量的原始下载文件（GeoTIFF、netCDF 变量、HDF 子数据集如 MODIS，以及 GDAL 能读取的任何格式，任意坐标参考系和分辨率，逐年或逐月）转换为其他所有算法所需的对齐逐年时序栅格：位于参考格网上的一个多波段 GeoTIFF，每年一个波段，年份作为其描述，并以研究区边界掩膜（docs/method.md，“数据准备”）。这就是本研究的预处理：所有空间数据重采样到统一分辨率并投影到统一坐标系。对每个变量（NPP、NDVI、降水、气温、DEM、土地利用…）以相同的格网和边界各运行一次，使所有时序栅格共用一个格网和一个掩膜；在模型中，每个变量串联一个实例。

步骤

- 日期：取自 netCDF 文件的 CF 时间轴（带单位和历法的 time），否则取波段描述或 YEAR/DATE 元数据，否则取文件名（npp_2003.tif、pr_2003_07.tif、MOD17A3HGF.A2003001…hdf），否则取给定的年份。没有任何日期的文件，或两个输入具有相同年份（月份），会使运行中止并指明文件。
- 数值：等于无数据值或在有效范围之外（按产品指南给出的存储单位：MODIS NPP 为 0–32700；填充编码 32761–32767 不是数据）的存储值视为缺失；然后 值 = 存储值 × 缩放系数 + 偏移量（为空：栅格自身的缩放系数和偏移量）。
- 对齐：GDAL Warp 将有效值重投影并重采样到格网上：连续数据用平均值（默认：覆盖各像元的有效源像元按覆盖比例加权的均值）或双线性，类别用众数（出现最多者）或最邻近；缺失值从不参与平均。格网取参考栅格的格网，或取坐标参考系、像元大小和范围（默认取边界的范围，否则取输入的范围），其边缘对齐到像元大小的整数倍。没有坐标参考系的栅格只有已位于格网上时才会被使用。
- 逐月转逐年：年总和（降水：有效月份均值 × 12，12 个月都有效时即为简单求和）或年均值（气温）；有效月份少于最小值（默认 12）的像元为无数据。
- 掩膜：中心位于研究区边界之外的像元，以及要剔除类别的像元（如水域、建设用地，取自以最邻近法转到格网上的土地利用栅格），在所有波段中为无数据。

日志和可选的表格说明每个输入波段的日期和来源、坐标参考系和像元大小、重采样方式、无数据值、有效范围（被掩膜的值）、缩放系数和偏移量。

参考文献

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755, section 2.1. Eaton, B. et al. (2023) NetCDF Climate and Forecast (CF) Metadata Conventions 1.11, sections 4.4 and 8.1. Running, S. W. &amp; Zhao, M. (2021) MOD17 User's Guide, collection 6.1 (valid range and fill values). GDAL Warp: https://gdal.org/programs/gdalwarp.html
</translation>
    </message>
</context>
<context>
    <name>PrepareStacks</name>
    <message>
        <location filename="../algorithms/prepare_stacks.py" line="78"/>
        <source>Downloaded files of any variables, in any CRS and resolution; or give a folder.</source>
        <translation>已下载的任意变量的文件，任意坐标参考系和分辨率；或给出文件夹。</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stacks.py" line="132"/>
        <source>Years to write as single-band rasters: {}</source>
        <translation>写为单波段栅格的年份：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stacks.py" line="177"/>
        <source>{}: {} band(s) written to {}: {}{}.</source>
        <translation>{}：{} 个波段已写入 {}：{}{}。</translation>
    </message>
    <message>
        <location filename="../algorithms/prepare_stacks.py" line="177"/>
        <source>static</source>
        <translation>静态</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="44"/>
        <source>Prepare aligned stacks from a folder of downloads</source>
        <translation>从下载文件夹准备对齐的时序栅格</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="45"/>
        <source>preprocessing,resample,reproject,align,warp,netcdf,modis,hdf,monthly to annual,stack,mask,clip,folder,batch,variables</source>
        <translation>preprocessing,resample,reproject,align,warp,netcdf,modis,hdf,monthly to annual,stack,mask,clip,folder,batch,variables,预处理,重采样,重投影,对齐,逐月转逐年,时序栅格,掩膜,裁剪,文件夹,批处理,变量</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="46"/>
        <source>
Turns a folder of downloads holding several variables (npp_*.tif, MODIS HDF, ndvi_*.nc, monthly precipitation
and temperature netCDF, a DEM, land use …, in any CRS and resolution) into aligned stacks in one run: one
GeoTIFF per variable in the output folder (VARIABLE.tif, one band per year with the year as its description),
all on one grid and masked by one study boundary (docs/method.md, &quot;Data preparation&quot;). Each variable is
prepared as by Prepare an aligned yearly stack (dates, valid range, scale and offset, GDAL Warp, monthly to
annual, mask); the log and the table say, for every input band, what was done.

Variables

- Table of variables (optional), one row per variable: name (the output file's), file patterns (separated by
';'; a netCDF/HDF variable after ':', e.g. *.nc:pr or MOD17A3*.hdf:Npp_500m), time step (yearly, monthly sum,
monthly mean, static), resampling (average, bilinear, cubic, nearest, mode, sum, min, max), scale, offset,
valid min, valid max (stored values), minimum of valid months, nodata. Empty cells are detected or taken from
the files. Files no row takes are left out (the log lists them).
- Without a table, every data variable of every file is a variable: a netCDF/HDF variable by its name, other
files by their name without the date (npp_2001.tif … npp_2024.tif are the variable npp).

Detected when not given

- Time step: one undated band is static (a DEM); several months of a year are monthly, aggregated to the annual
sum for precipitation (named pr, ppt, prcp, precip…, rain…, tp, ap) and the annual mean otherwise; else yearly.
- Resampling: mode for class rasters (a colour table, category names or an attribute table, or integer values
with a class-like name: land use, land cover, lc, igbp, zone, ecosystem, class…), average for everything else.
- Nodata and valid range: the file's (GDAL nodata, else the CF _FillValue or missing_value; the CF valid_range
or valid_min/valid_max, in stored values), said in the log.

Bad inputs stop the run before anything is written, naming the file: a file without a year, a date given twice,
a file two variables claim, a netCDF file with several variables and none named, a valid range that leaves no
value, an input without CRS off the grid, a boundary that does not overlap the grid.

Single-year rasters: for each year of the list, every yearly variable is also written as VARIABLE_year.tif (that
year's band alone: the factors of the survey year that train the carbon density model, NPP_2024 being the factor
NPP).

References

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755, section 2.1. Eaton, B. et al. (2023) NetCDF Climate
and Forecast (CF) Metadata Conventions 1.11, sections 2.5.1, 4.4 and 8.1. GDAL Warp:
https://gdal.org/programs/gdalwarp.html
</source>
        <translation>
将包含多个变量的下载文件夹（npp_*.tif、MODIS HDF、ndvi_*.nc、逐月降水和气温 netCDF、DEM、土地利用…，任意坐标参考系和分辨率）一次运行转换为对齐的时序栅格：输出文件夹中每个变量一个 GeoTIFF（VARIABLE.tif，每年一个波段，年份作为其描述），全部位于同一格网并以同一研究区边界掩膜（docs/method.md，“数据准备”）。每个变量的处理与“准备对齐的逐年时序栅格”相同（日期、有效范围、缩放系数和偏移量、GDAL Warp、逐月转逐年、掩膜）；日志和表格说明对每个输入波段所做的处理。

变量

- 变量表（可选），每个变量一行：名称（输出文件的名称）、文件名模式（以 ';' 分隔；netCDF/HDF 变量写在 ':' 之后，如 *.nc:pr 或 MOD17A3*.hdf:Npp_500m）、时间步长（yearly 逐年、monthly sum 逐月求和、monthly mean 逐月均值、static 静态）、重采样（average、bilinear、cubic、nearest、mode、sum、min、max）、缩放系数、偏移量、有效最小值、有效最大值（存储值）、有效月份的最少数量、无数据值。空单元格自动检测或取自文件。没有任何一行选取的文件被排除（日志会列出）。
- 没有变量表时，每个文件的每个数据变量都是一个变量：netCDF/HDF 变量按其名称，其他文件按不含日期的文件名（npp_2001.tif … npp_2024.tif 即变量 npp）。

未给出时自动检测

- 时间步长：一个无日期的波段为静态（DEM）；一年中有多个月份时为逐月，降水（名为 pr、ppt、prcp、precip…、rain…、tp、ap）汇总为年总和，其他汇总为年均值；否则为逐年。
- 重采样：分类栅格（有颜色表、类别名称或属性表，或整数值且名称类似类别：land use、land cover、lc、igbp、zone、ecosystem、class…）用众数，其他一律用平均值。
- 无数据值和有效范围：取自文件（GDAL 无数据值，否则 CF 的 _FillValue 或 missing_value；CF 的 valid_range 或 valid_min/valid_max，按存储值），并在日志中说明。

错误的输入会在写出任何内容之前使运行中止，并指明文件：没有年份的文件、同一日期给出两次、被两个变量同时选取的文件、含多个变量却未指明变量的 netCDF 文件、不留下任何值的有效范围、不在格网上且没有坐标参考系的输入、与格网不重叠的边界。

单年栅格：对列表中的每个年份，每个逐年变量还另外写为 VARIABLE_year.tif（仅该年的波段：用于训练碳密度模型的调查年份因子，NPP_2024 即因子 NPP）。

参考文献

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755, section 2.1. Eaton, B. et al. (2023) NetCDF Climate and Forecast (CF) Metadata Conventions 1.11, sections 2.5.1, 4.4 and 8.1. GDAL Warp: https://gdal.org/programs/gdalwarp.html
</translation>
    </message>
</context>
<context>
    <name>RegionalClimateTrend</name>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="94"/>
        <source>Aridity index convention</source>
        <translation>干燥度指数约定</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="100"/>
        <source>Whether a higher aridity index means wetter (P/PET, default) or drier (PET/P).</source>
        <translation>干燥度指数越高表示越湿润（P/PET，默认）还是越干燥（PET/P）。</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="105"/>
        <source>Temperature unit</source>
        <translation>气温单位</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="105"/>
        <source>Precipitation unit</source>
        <translation>降水单位</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="110"/>
        <source>The unit the stack holds, written in the tables and the report.</source>
        <translation>时序栅格所用的单位，写入表格和报告。</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="113"/>
        <source>Regional climate per year</source>
        <translation>逐年区域气候</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="113"/>
        <source>Table: variable, year, regional mean, unit.</source>
        <translation>表：变量、年份、区域均值、单位。</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="119"/>
        <source>Regional climate trends</source>
        <translation>区域气候趋势</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="119"/>
        <source>Table per variable: Sen slope and intercept, Mann–Kendall S, Z, p, least-squares fit, area.</source>
        <translation>每个变量一张表：Sen 斜率和截距、Mann–Kendall S、Z、p、最小二乘拟合、面积。</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="137"/>
        <source>Direction of the regional climate</source>
        <translation>区域气候变化方向</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="143"/>
        <source>Temperature stack</source>
        <translation>气温时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="159"/>
        <source>{} stack</source>
        <translation>{}时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="162"/>
        <source>the temperature stack</source>
        <translation>气温时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="164"/>
        <source>{} (&apos;{}&apos;): years {} are not in the temperature stack and are ignored.</source>
        <translation>{}（“{}”）：年份 {} 不在气温时序栅格中，已忽略。</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="183"/>
        <source>{} years ({})</source>
        <translation>{} 年（{}）</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="247"/>
        <source>{} (&apos;{}&apos;): no pixel has a valid value in every one of the {} years.</source>
        <translation>{}（“{}”）：没有像元在全部 {} 年中都具有有效值。</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="252"/>
        <source>{}: {:,} pixels ({:,.1f} hm²) valid in every year{}</source>
        <translation>{}：{:,} 个像元（{:,.1f} hm²）在每年都有效{}</translation>
    </message>
    <message>
        <location filename="../algorithms/regional_climate_trend.py" line="252"/>
        <source>; {:,} pixels with a missing year left out</source>
        <translation>；{:,} 个缺年像元已剔除</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="47"/>
        <source>Regional climate trend</source>
        <translation>区域气候趋势</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="48"/>
        <source>climate trend,warming,humidifying,drying,aridity,temperature,precipitation,mann-kendall,theil-sen,sen slope,regional mean</source>
        <translation>climate trend,warming,humidifying,drying,aridity,temperature,precipitation,mann-kendall,theil-sen,sen slope,regional mean,气候趋势,变暖,变湿,变干,干燥度,气温,降水,Mann–Kendall,Theil–Sen,Sen 斜率,区域均值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="49"/>
        <source>
The regional mean of yearly climate rasters (temperature, precipitation and optionally an aridity index)
for every year, with its Theil–Sen slope, Mann–Kendall test and least-squares line, as tables, numbers and
an HTML report with a chart per variable and a sentence that states the direction of the climate, e.g.
&quot;warming and humidifying&quot; (docs/method.md, step 10).

Formulas

  regional mean of year t: x̄ₜ = Σ aᵢ xᵢₜ / Σ aᵢ
  Sen slope: β = median of (xⱼ − xᵢ) / (tⱼ − tᵢ) over all pairs of years i before j
  Mann–Kendall: S = Σ sgn(xⱼ − xᵢ), Z from S and its tie-corrected variance, p = 2(1 − Φ(|Z|))
  least squares: slope, R² and the t test of the slope (n − 2 degrees of freedom)

The sums of the regional mean run over the pixels i valid in every year of that variable, so every year
covers the same area; aᵢ is the true pixel area on the ellipsoid of the rasters' CRS (any CRS; a raster
without a CRS stops the run).

Direction

From the Sen slope and its Mann–Kendall p: temperature rising is warming, falling is cooling; precipitation
rising is humidifying, falling is drying; a direction with p not below α (default 0.05) is stated as a
non-significant tendency. The aridity index adds whether it indicates wetter or drier conditions: choose its
convention (P/PET, UNEP: higher is wetter, the default; PET/P: higher is drier).

Data

Each stack is a multi-band raster with a band per year or one single-band raster per year; years come from
the years parameters, the band descriptions or the file names. The temperature years define the period;
precipitation and the aridity index must have a band for each of them, matched by year (extra years are
ignored and listed in the log). At least 4 years. All inputs must be on one grid; clip them to the region
first (nodata outside it). The units of temperature and precipitation (advanced, default °C and mm) only
label the tables and the report.

References

Sen, P. K. (1968) JASA 63:1379–1389. Mann, H. B. (1945) Econometrica 13:245–259. Kendall, M. G. (1975) Rank
Correlation Methods. UNEP (1992) World Atlas of Desertification (aridity index P/PET).
</source>
        <translation>
逐年气候栅格（气温、降水，可选干燥度指数）每年的区域均值及其 Theil–Sen 斜率、Mann–Kendall 检验和最小二乘拟合线，输出为表格、数值和 HTML 报告，每个变量一幅图，并用一句话说明气候变化方向，如“暖湿化”（docs/method.md，第 10 步）。

公式

  第 t 年的区域均值：x̄ₜ = Σ aᵢ xᵢₜ / Σ aᵢ
  Sen 斜率：β = 所有年份对（i 在 j 之前）的 (xⱼ − xᵢ) / (tⱼ − tᵢ) 的中位数
  Mann–Kendall：S = Σ sgn(xⱼ − xᵢ)，Z 由 S 及其经结校正的方差得出，p = 2(1 − Φ(|Z|))
  最小二乘：斜率、R² 及斜率的 t 检验（自由度 n − 2）

区域均值的求和遍及该变量每年都有效的像元 i，因此每年覆盖相同的面积；aᵢ 为像元在栅格坐标参考系椭球面上的真实面积（任何坐标参考系；没有坐标参考系的栅格会使运行中止）。

变化方向

由 Sen 斜率及其 Mann–Kendall p 值判断：气温上升为变暖，下降为变冷；降水增加为变湿，减少为变干；p 不小于 α（默认 0.05）的方向表述为不显著的倾向。干燥度指数另说明其指示的是更湿润还是更干燥：请选择其约定（P/PET，UNEP：越高越湿润，默认；PET/P：越高越干燥）。

数据

每个时序栅格为每年一个波段的多波段栅格，或每年一个单波段栅格；年份取自年份参数、波段描述或文件名。气温的年份确定研究时段；降水和干燥度指数必须对其中每一年都有一个波段，按年份匹配（多余的年份被忽略并在日志中列出）。至少 4 年。所有输入必须位于同一格网；请先将其裁剪到研究区（区外为无数据）。气温和降水的单位（高级参数，默认 °C 和 mm）仅用于标注表格和报告。

参考文献

Sen, P. K. (1968) JASA 63:1379–1389. Mann, H. B. (1945) Econometrica 13:245–259. Kendall, M. G. (1975) Rank Correlation Methods. UNEP (1992) World Atlas of Desertification (aridity index P/PET).
</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <location filename="../core/reports/render.py" line="160"/>
        <source>Produced by</source>
        <translation>生成信息</translation>
    </message>
    <message>
        <location filename="../core/reports/render.py" line="161"/>
        <source>Contents</source>
        <translation>目录</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="75"/>
        <source>Regional climate trend</source>
        <translation>区域气候趋势</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="297"/>
        <source>Direction of the regional climate</source>
        <translation>区域气候变化方向</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="298"/>
        <source>Trends</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="299"/>
        <source>Regional mean per year</source>
        <translation>逐年区域均值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="308"/>
        <source>For comparison only, the paper reports train R² 0.87, MAE 5.10, RMSE 7.90 and validation R² 0.74, MAE 7.36, RMSE 12.31 t C/hm² on 621 points in Ningxia.</source>
        <translation>仅供比较：论文报告的训练集 R² 0.87、MAE 5.10、RMSE 7.90，验证集 R² 0.74、MAE 7.36、RMSE 12.31 t C/hm²，基于宁夏 621 个点。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="314"/>
        <source>factor</source>
        <translation>因子</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="315"/>
        <source>unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="316"/>
        <source>impurity</source>
        <translation>不纯度</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="317"/>
        <source>permutation_mean</source>
        <translation>置换重要性均值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="318"/>
        <source>permutation_sd</source>
        <translation>置换重要性标准差</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="300"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="305"/>
        <source>Observed vs predicted</source>
        <translation>实测值与预测值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="306"/>
        <source>Factor importance</source>
        <translation>因子重要性</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="307"/>
        <source>References</source>
        <translation>参考文献</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="319"/>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="320"/>
        <source>area start</source>
        <translation>起始面积</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="321"/>
        <source>area end</source>
        <translation>终止面积</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="322"/>
        <source>persistence ΔC</source>
        <translation>保持部分 ΔC</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="323"/>
        <source>conversion ΔC</source>
        <translation>转换部分 ΔC</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="324"/>
        <source>ΔC</source>
        <translation>ΔC</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="325"/>
        <source>share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="326"/>
        <source>persistence</source>
        <translation>保持</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="327"/>
        <source>conversion</source>
        <translation>转换</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="328"/>
        <source>from</source>
        <translation>转出</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="329"/>
        <source>to</source>
        <translation>转入</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="330"/>
        <source>pixels</source>
        <translation>像元数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="331"/>
        <source>area</source>
        <translation>面积</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="332"/>
        <source>storage start</source>
        <translation>起始碳储量</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="333"/>
        <source>storage end</source>
        <translation>终止碳储量</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="334"/>
        <source>Land-use transition and carbon contribution</source>
        <translation>土地利用转移与碳贡献</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="336"/>
        <source>Transition matrix: area (hm²), start class in rows, end class in columns</source>
        <translation>转移矩阵：面积（hm²），行为起始类别，列为终止类别</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="337"/>
        <source>Carbon change by transition (t), start class in rows, end class in columns</source>
        <translation>各转移的碳变化（t），行为起始类别，列为终止类别</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="338"/>
        <source>Land-use flows</source>
        <translation>土地利用流向</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="339"/>
        <source>Contribution of each class</source>
        <translation>各类别的贡献</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="340"/>
        <source>Transitions</source>
        <translation>转移</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="335"/>
        <source>Codes not in the class table</source>
        <translation>不在类别表中的编码</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="341"/>
        <source>Pearson (1895) Proc. R. Soc. Lond. 58:240; O&apos;Brien (2007) Qual. Quant. 41:673; docs/method.md, step 3.</source>
        <translation>Pearson (1895) Proc. R. Soc. Lond. 58:240; O'Brien (2007) Qual. Quant. 41:673; docs/method.md，第 3 步。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="342"/>
        <source>Correlation matrix</source>
        <translation>相关矩阵</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="343"/>
        <source>Factors: correlation with the target, VIF and keep-list</source>
        <translation>因子：与目标变量的相关、VIF 及保留列表</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="345"/>
        <source>region</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="346"/>
        <source>region name</source>
        <translation>区域名称</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="347"/>
        <source>variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="348"/>
        <source>slope</source>
        <translation>斜率</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="349"/>
        <source>intercept</source>
        <translation>截距</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="350"/>
        <source>R²</source>
        <translation>R²</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="351"/>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="352"/>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="353"/>
        <source>units</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="354"/>
        <source>year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="355"/>
        <source>storage</source>
        <translation>碳储量</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="356"/>
        <source>mean density</source>
        <translation>平均碳密度</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="357"/>
        <source>Carbon storage accounting</source>
        <translation>碳储量核算</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="358"/>
        <source>Storage and mean density per year</source>
        <translation>逐年碳储量与平均碳密度</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="359"/>
        <source>Trends (least squares)</source>
        <translation>趋势（最小二乘）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="360"/>
        <source>Yearly totals</source>
        <translation>逐年合计</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="370"/>
        <source>code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="375"/>
        <source>Inputs and parameters of this step</source>
        <translation>本步骤的输入与参数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="379"/>
        <source>Notes and parameters</source>
        <translation>说明与参数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="369"/>
        <source>Maps</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="368"/>
        <source>Class areas</source>
        <translation>各类别面积</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="377"/>
        <source>Not in this report (not given):</source>
        <translation>本报告未包含（未给出）：</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="378"/>
        <source>Every map and step report the study report can hold was given.</source>
        <translation>研究报告可包含的所有地图和步骤报告均已给出。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="56"/>
        <source>Sen slope of carbon density</source>
        <translation>碳密度 Sen 斜率</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="57"/>
        <source>Sen slope (t C/hm²/a)</source>
        <translation>Sen 斜率（t C/hm²/a）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="58"/>
        <source>Trend class (Sen + Mann–Kendall)</source>
        <translation>趋势分类（Sen + Mann–Kendall）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="59"/>
        <source>Trend class</source>
        <translation>趋势分类</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="60"/>
        <source>Future trend (Sen slope × Hurst)</source>
        <translation>未来趋势（Sen 斜率 × Hurst 指数）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="61"/>
        <source>Future trend</source>
        <translation>未来趋势</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="62"/>
        <source>Coefficient of variation</source>
        <translation>变异系数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="63"/>
        <source>Cv</source>
        <translation>Cv</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="66"/>
        <source>Hurst exponent</source>
        <translation>Hurst 指数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="67"/>
        <source>Hurst exponent H</source>
        <translation>Hurst 指数 H</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="68"/>
        <source>Climate driver type</source>
        <translation>气候驱动类型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="69"/>
        <source>Driver type</source>
        <translation>驱动类型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="70"/>
        <source>LISA cluster (local Moran&apos;s I)</source>
        <translation>LISA 聚集（局部莫兰指数）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="71"/>
        <source>LISA cluster</source>
        <translation>LISA 聚集</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="72"/>
        <source>Diagnostic zones</source>
        <translation>诊断分区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="73"/>
        <source>Zone</source>
        <translation>分区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="74"/>
        <source>Carbon storage and mean density</source>
        <translation>碳储量与平均碳密度</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="76"/>
        <source>Land-use transitions and carbon contribution</source>
        <translation>土地利用转移与碳贡献</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="77"/>
        <source>Factor screening</source>
        <translation>因子筛选</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="78"/>
        <source>Carbon density model</source>
        <translation>碳密度模型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="361"/>
        <source>Plots and augmented samples</source>
        <translation>样地与扩充样本</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="362"/>
        <source>points</source>
        <translation>样点</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="363"/>
        <source>mean carbon density</source>
        <translation>平均碳密度</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="364"/>
        <source>lowest</source>
        <translation>最低</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="365"/>
        <source>highest</source>
        <translation>最高</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="366"/>
        <source>Global Moran&apos;s I of the carbon-sink rate</source>
        <translation>碳汇速率的全局莫兰指数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="367"/>
        <source>Zoning rules</source>
        <translation>分区规则</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="371"/>
        <source>share of the classified area</source>
        <translation>占已分类面积的比例</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="372"/>
        <source>finding</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="373"/>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="374"/>
        <source>of what (the denominator)</source>
        <translation>基数（分母）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="376"/>
        <source>True area of each class (ellipsoidal on geographic CRSs). Shares are of the classified area (the total row); pixels with a carbon density but no class are listed apart, in grey, as not computed, and are outside that total.</source>
        <translation>各类别的真实面积（地理坐标参考系下按椭球计算）。占比为占已分类面积（合计行）的比例；有碳密度但没有类别的像元以灰色单独列为未计算，不计入该合计。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="380"/>
        <source>zone</source>
        <translation>分区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="381"/>
        <source>trend class</source>
        <translation>趋势分类</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="382"/>
        <source>future trend</source>
        <translation>未来趋势</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="383"/>
        <source>climate driver</source>
        <translation>气候驱动类型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="384"/>
        <source>Summary of findings</source>
        <translation>主要结果</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="301"/>
        <source>Accuracy: random hold-out and cross-validation</source>
        <translation>精度：随机留出与交叉验证</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="302"/>
        <source>Spatial structure of the residuals</source>
        <translation>残差的空间结构</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="303"/>
        <source>Prediction interval</source>
        <translation>预测区间</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="304"/>
        <source>Area of applicability</source>
        <translation>适用域</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="309"/>
        <source>Dissimilarity index DI = distance to the nearest training point in standardised factor space weighted by the permutation importance, divided by the mean distance between training points; the threshold is the upper whisker (Q3 + 1.5 IQR) of the cross-validated DI of the training points (Meyer &amp; Pebesma 2021). A pixel with a larger DI lies outside the area of applicability: the model extrapolates there.</source>
        <translation>相异度指数 DI = 在按置换重要性加权的标准化因子空间中到最近训练点的距离，除以训练点之间的平均距离；阈值为训练点交叉验证 DI 的上须（Q3 + 1.5 IQR）（Meyer &amp; Pebesma 2021）。DI 更大的像元位于适用域之外：模型在该处外推。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="310"/>
        <source>Model kinds compared</source>
        <translation>比较的模型类型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="311"/>
        <source>Not computed: the points have no coordinates or are too few.</source>
        <translation>未计算：各点没有坐标或数量太少。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="312"/>
        <source>No prediction interval (interval level 0).</source>
        <translation>无预测区间（区间水平为 0）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="313"/>
        <source>No area of applicability was learnt.</source>
        <translation>未学习到适用域。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="344"/>
        <source>Confidence intervals and area of applicability</source>
        <translation>置信区间与适用域</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="64"/>
        <source>Stability class (coefficient of variation)</source>
        <translation>稳定性分级（变异系数）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="65"/>
        <source>Stability class</source>
        <translation>稳定性分级</translation>
    </message>
</context>
<context>
    <name>SenMannKendall</name>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="82"/>
        <source>Variance of S</source>
        <translation>S 的方差</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="82"/>
        <source>Original Mann–Kendall</source>
        <translation>原始 Mann–Kendall 检验</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="82"/>
        <source>Hamed–Rao correction for serial correlation</source>
        <translation>Hamed–Rao 序列相关校正</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="91"/>
        <source>Original: Var(S) of independent years (default). Hamed–Rao: Var(S) corrected for the serial correlation of the series; fewer pixels are called significant where years are correlated.</source>
        <translation>原始：年份相互独立时的 Var(S)（默认）。Hamed–Rao：按序列自相关校正的 Var(S)；年份间存在相关时判为显著的像元更少。</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="99"/>
        <source>Five classes (also split at p below 0.01)</source>
        <translation>五类（另在 p 小于 0.01 处细分）</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="102"/>
        <source>Also split significant increase and decrease at p below 0.01; α must be above 0.01.</source>
        <translation>另在 p 小于 0.01 处细分显著增加和显著减少；α 必须大于 0.01。</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="110"/>
        <source>The Mann–Kendall Z of each pixel.</source>
        <translation>各像元的 Mann–Kendall Z 值。</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="111"/>
        <source>The two-sided Mann–Kendall p-value of each pixel.</source>
        <translation>各像元的双侧 Mann–Kendall p 值。</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="114"/>
        <source>Mann–Kendall S</source>
        <translation>Mann–Kendall S</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="114"/>
        <source>The statistic S: pairs of years that increase minus pairs that decrease.</source>
        <translation>统计量 S：增加的年份对数减去减少的年份对数。</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="128"/>
        <source>With five classes α must be above 0.01 (the inner split is at p &lt; 0.01).</source>
        <translation>分五类时 α 必须大于 0.01（内部细分在 p &lt; 0.01 处）。</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="132"/>
        <source>Yearly stack</source>
        <translation>逐年时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="144"/>
        <source>{} years: {}–{}; method: {}</source>
        <translation>{} 年：{}–{}；方法：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/sen_mann_kendall.py" line="203"/>
        <source>Hamed–Rao: the correction could not be applied to {:,} pixels (correction factor not positive: strong negative autocorrelation, or a detrended series without variation); they keep the uncorrected variance.</source>
        <translation>Hamed–Rao：有 {:,} 个像元无法应用校正（校正因子不为正：强负自相关，或去趋势序列没有变化）；它们保留未校正的方差。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="50"/>
        <source>Theil–Sen slope and Mann–Kendall trend</source>
        <translation>Theil–Sen 斜率与 Mann–Kendall 趋势</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="51"/>
        <source>mann-kendall,mann–kendall,mann kendall,mk test,theil-sen,theil–sen,theil sen,sen slope,sen's slope,trend,monotonic trend,hamed-rao,pixel trend</source>
        <translation>mann-kendall,mann–kendall,mann kendall,mk test,theil-sen,theil–sen,theil sen,sen slope,sen's slope,trend,monotonic trend,hamed-rao,pixel trend,Mann–Kendall 检验,Theil–Sen 趋势,Sen 斜率,趋势,单调趋势,逐像元趋势</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="52"/>
        <source>
Per-pixel trend of a yearly series (e.g. carbon density 2001–2024): the Theil–Sen slope and the
Mann–Kendall test, a trend class raster and the area of each class (docs/method.md, step 6).

Formulas

  Sen slope: β = median over all pairs of years i before j of (xⱼ − xᵢ) / (tⱼ − tᵢ)
  Mann–Kendall: S = Σ sgn(xⱼ − xᵢ) over all pairs i before j
  Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18, the last sum over groups of t tied values
  Z = (S − 1)/√Var(S) if S is positive, 0 if S = 0, (S + 1)/√Var(S) if S is negative
  p = 2(1 − Φ(|Z|)), two-sided

t is the year, so gaps in the years are handled; β is in the stack's units per year; n is the number of
valid years of the pixel.

Hamed–Rao (option): Var(S) is multiplied by 1 + 2/(n(n−1)(n−2)) · Σ (n−k)(n−k−1)(n−k−2) ρₖ, with ρₖ the
significant lag-k autocorrelations of the ranks of the detrended series, so serially correlated series are
not over-called. Where that factor is not positive (strong negative autocorrelation, or a detrended series
without variation) the pixel keeps the uncorrected variance, and the log gives the number of such pixels.
With missing years the lags count years of the stack and the autocorrelation uses the pairs of years that
are both valid.

Classes

Significant increase (β above 0), no significant change, significant decrease (β below 0), significant
meaning p below α (default 0.05). The five-class variant also splits each side at p below 0.01 (extremely
significant).

Data

Nodata and NaN are missing years. A pixel with fewer valid years than the minimum share (default 75 %, never
fewer than 4) is nodata in every output. At least 4 years are required; below 8 years the test has little
power and a warning is given. All inputs must be on one grid.

References

Sen, P. K. (1968) Estimates of the regression coefficient based on Kendall's tau. JASA 63:1379–1389.
Mann, H. B. (1945) Nonparametric tests against trend. Econometrica 13:245–259. Kendall, M. G. (1975) Rank
Correlation Methods. Hamed, K. H. &amp; Rao, A. R. (1998) A modified Mann–Kendall trend test for autocorrelated
data. J. Hydrol. 204:182–196.
</source>
        <translation>
逐年序列（如 2001–2024 年碳密度）的逐像元趋势：Theil–Sen 斜率和 Mann–Kendall 检验、趋势分类栅格及各类别面积（docs/method.md，第 6 步）。

公式

  Sen 斜率：β = 所有年份对（i 在 j 之前）的 (xⱼ − xᵢ) / (tⱼ − tᵢ) 的中位数
  Mann–Kendall：S = 所有年份对（i 在 j 之前）的 Σ sgn(xⱼ − xᵢ)
  Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18，后一求和遍及每组 t 个相同值（结）
  Z = (S − 1)/√Var(S)（S 为正时），0（S = 0 时），(S + 1)/√Var(S)（S 为负时）
  p = 2(1 − Φ(|Z|))，双侧

t 为年份，因此可处理年份间断；β 的单位为时序栅格的单位/年；n 为像元的有效年份数。

Hamed–Rao（可选）：Var(S) 乘以 1 + 2/(n(n−1)(n−2)) · Σ (n−k)(n−k−1)(n−k−2) ρₖ，其中 ρₖ 为去趋势序列秩次的显著滞后 k 自相关系数，从而避免将序列相关的序列误判为显著。该因子不为正时（强负自相关，或去趋势序列没有变化），像元保留未校正的方差，日志会给出此类像元的数量。有缺失年份时，滞后按时序栅格的年份计，自相关使用两个年份均有效的年份对。

类别

显著增加（β 大于 0）、无显著变化、显著减少（β 小于 0），显著指 p 小于 α（默认 0.05）。五类方案另在 p 小于 0.01 处细分两侧（极显著）。

数据

无数据和 NaN 视为缺失年份。有效年份少于最低比例（默认 75 %，且不少于 4 年）的像元在所有输出中为无数据。至少需要 4 年；少于 8 年时检验功效很低，会给出警告。所有输入必须位于同一格网。

参考文献

Sen, P. K. (1968) Estimates of the regression coefficient based on Kendall's tau. JASA 63:1379–1389. Mann, H. B. (1945) Nonparametric tests against trend. Econometrica 13:245–259. Kendall, M. G. (1975) Rank Correlation Methods. Hamed, K. H. &amp; Rao, A. R. (1998) A modified Mann–Kendall trend test for autocorrelated data. J. Hydrol. 204:182–196.
</translation>
    </message>
</context>
<context>
    <name>StudyModel</name>
    <message>
        <location filename="../build/i18n/extracted.py" line="434"/>
        <source>Whole study: plots to diagnostic zones</source>
        <translation>整体研究：从样地到诊断分区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="433"/>
        <source>The whole carbon-sink study of Bao et al. (2026) on one region: plot carbon density, NPP-ratio augmentation, factor screening, the carbon density model (Random Forest), annual carbon density and storage, Sen + Mann–Kendall trend, Cv, Hurst, future trend, climate partial correlation and driver types, regional climate trend, land-use contributions, global and local Moran's I of the carbon-sink rate, diagnostic zoning and the study report (docs/method.md, steps 1 to 13). The inputs are listed in the order of the workflow; the field names of the survey and tree tables (advanced parameters) default to those of the demo tables. Every step runs with the defaults of its algorithm unless a model input sets it. The main maps, the model file and the study report are created by default; the tables of each step are optional outputs: name them to keep them. Copy the model (Save As) to change it.</source>
        <translation>在一个区域上完成 Bao 等（2026）的整个碳汇研究：样地碳密度、NPP 比值样本扩充、因子筛选、碳密度模型（随机森林）、逐年碳密度和碳储量、Sen + Mann–Kendall 趋势、变异系数、Hurst 指数、未来趋势、气候偏相关与驱动类型、区域气候趋势、土地利用贡献、碳汇速率的全局莫兰指数和局部莫兰指数、诊断分区和研究报告（docs/method.md，第 1 至 13 步）。输入按工作流程的顺序列出；调查表和乔木表的字段名称（高级参数）默认为示例表的字段名。除非由模型输入设定，每一步都使用其算法的默认值运行。主要地图、模型文件和研究报告默认生成；各步骤的表为可选输出：为其命名即可保留。要修改模型，请先复制（另存为）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="435"/>
        <source>The whole carbon-sink study from raw downloads: Prepare aligned stacks from a folder of downloads puts every variable of the folder on one grid and one study boundary (NPP, NDVI, PRECIPITATION, TEMPERATURE, DEM, LANDUSE, CLIMATE_ZONE, ECOSYSTEM, named by the table of variables: edit its file patterns to your file names), and writes the factors of the survey year and the land use of the start and end years as single-band rasters; then the whole-study model (plots to diagnostic zones) runs on them (docs/method.md, &quot;Data preparation&quot; and steps 1 to 13). Give a reference raster, or a CRS and pixel size, for the grid. Copy the model (Save As) to change it.

References

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755. Eaton, B. et al. (2023) NetCDF Climate and Forecast (CF) Metadata Conventions 1.11.</source>
        <translation>从原始下载数据完成整个碳汇研究：“从下载文件夹准备对齐的时序栅格”将文件夹中的每个变量置于同一格网和同一研究区边界上（NPP、NDVI、PRECIPITATION（降水）、TEMPERATURE（气温）、DEM、LANDUSE（土地利用）、CLIMATE_ZONE（气候区）、ECOSYSTEM（生态系统），按变量表命名：请将其中的文件名模式改为你的文件名），并将调查年份的因子以及起始和终止年份的土地利用写为单波段栅格；然后在其上运行整体研究模型（从样地到诊断分区）（docs/method.md，“数据准备”和第 1 至 13 步）。请给出参考栅格，或坐标参考系和像元大小，以确定格网。要修改模型，请先复制（另存为）。

参考文献

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755. Eaton, B. et al. (2023) NetCDF Climate and Forecast (CF) Metadata Conventions 1.11.</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="436"/>
        <source>Whole study from raw downloads: downloads to diagnostic zones</source>
        <translation>从原始下载数据开始的整体研究：从下载数据到诊断分区</translation>
    </message>
</context>
<context>
    <name>StudyReport</name>
    <message>
        <location filename="../algorithms/study_report.py" line="130"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="130"/>
        <source>Carbon sink diagnostic study</source>
        <translation>碳汇诊断研究</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="133"/>
        <source>The title of the page.</source>
        <translation>页面标题。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="134"/>
        <source>Notes and parameters (free text)</source>
        <translation>说明与参数（自由文本）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="137"/>
        <source>Printed under the title, e.g. the data sources and settings.</source>
        <translation>打印在标题下方，如数据来源和设置。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="140"/>
        <source>Mapped for its first and its last year.</source>
        <translation>绘制其第一年和最后一年的地图。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="149"/>
        <source>Map: {}.</source>
        <translation>地图：{}。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="153"/>
        <source>{}: report of {}</source>
        <translation>{}：{} 的报告</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="160"/>
        <source>The REPORT output of {}; its data (the .json beside it) are read.</source>
        <translation>{} 的 REPORT 输出；读取其数据（旁边的 .json 文件）。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="165"/>
        <source>Resolution of the maps (dpi)</source>
        <translation>地图分辨率（dpi）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="173"/>
        <source>Resolution of the map images in the page.</source>
        <translation>页面中地图图像的分辨率。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="180"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="53"/>
        <source>Study report</source>
        <translation>研究报告</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="284"/>
        <source>{} ({}): {:,} characters; a report takes at most {:,}. Shorten it.</source>
        <translation>{}（{}）：{:,} 个字符；报告最多接受 {:,} 个字符。请缩短。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="297"/>
        <source>{} (report of {})</source>
        <translation>{}（{} 的报告）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="310"/>
        <source>{} map</source>
        <translation>{}地图</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="230"/>
        <source>Carbon density maps (first and last year)</source>
        <translation>碳密度地图（第一年和最后一年）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="512"/>
        <source>Carbon density stack</source>
        <translation>碳密度时序栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="412"/>
        <source>Cancelled by the user.</source>
        <translation>已被用户取消。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="385"/>
        <source>Map &apos;{}&apos; rendered from {}</source>
        <translation>地图“{}”已由 {} 绘制</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="262"/>
        <source>The study report cannot be composed: {}</source>
        <translation>无法生成研究报告：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="271"/>
        <source>Study report written to {}</source>
        <translation>研究报告已写入 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="499"/>
        <source>{}: {}</source>
        <translation>{}：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="501"/>
        <source>{}: &apos;{}&apos; is a report of {}, not of {}; give the report of {}.</source>
        <translation>{}：“{}”是 {} 的报告，而非 {} 的报告；请给出 {} 的报告。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="524"/>
        <source>(first band)</source>
        <translation>（第一个波段）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="526"/>
        <source>(last band)</source>
        <translation>（最后一个波段）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="534"/>
        <source>Carbon density stack: {}</source>
        <translation>碳密度时序栅格：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="546"/>
        <source>Map &apos;{}&apos;: {}</source>
        <translation>地图“{}”：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="595"/>
        <source>{}: {:,} pixels hold values that are not class codes 0–255; they are left out of the class areas.</source>
        <translation>{}：{:,} 个像元的值不是 0–255 的类别编码；不计入各类别面积。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="54"/>
        <source>report,html report,study report,maps,summary</source>
        <translation>report,html report,study report,maps,summary,报告,HTML 报告,研究报告,地图,摘要</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="55"/>
        <source>
One self-contained HTML file with the results of a study: maps of the rasters rendered by QGIS with their
legend, a scale bar and a north arrow; the area and share of every class of the class rasters; and the
charts and tables of the step reports (storage and mean density with their trend lines, regional climate,
land-use transition flows, factor correlation heat map, carbon density model accuracy, importance and
observed-versus-predicted plot). It ends with the inputs, parameters, QGIS and plugin versions that produced
it. Every input is optional: the report holds what it is given and lists what is missing. It is the last step
of the whole-study model and can be run on the outputs of any run (docs/method.md, steps 5 to 13).

Maps

Carbon density of the first and the last year of the stack (one colour scale for both), Sen slope, trend
class, future trend, Cv, Hurst exponent, driver type, LISA cluster and zones. Each map uses the style saved
beside its raster (name.qml, written by every algorithm of the plugin); without one, a class raster gets a
palette of the classes it holds (names from the raster's category names) and a continuous raster a colour
ramp over its 2nd–98th percentile. The maps are drawn at 150 dpi by default (advanced).

Class areas

True pixel areas on the ellipsoid of the raster's CRS (any CRS; a raster without a CRS stops the run), read
block by block; code 0 and nodata are not counted; shares are of the classified pixels.

The file

Maps are PNG images embedded in the page, charts are inline SVG, the style is inline: the file opens offline,
has no script and fetches nothing, and prints with each part on a new page. Step reports are the HTML files
written by the algorithms named in their parameters: the study report reads the data each of them writes
beside its page (name.json: the same report as numbers and plain text), never the page itself, and stops
with a message naming the file when the data are missing or not valid. The study report writes its own data
beside it too.

References

Bao, Y. et al. (2026) Spatiotemporal changes and potential diagnostic zoning of ecosystem carbon sinks in
Ningxia. Arid Land Geography 49(4):740–755.
</source>
        <translation>
一个自包含的 HTML 文件，汇集一项研究的结果：由 QGIS 绘制的栅格地图，带图例、比例尺和指北针；各分类栅格每个类别的面积和占比；以及各步骤报告的图表（碳储量和平均碳密度及其趋势线、区域气候、土地利用转移流向、因子相关热图、碳密度模型的精度、重要性和实测与预测散点图）。最后列出生成它的输入、参数、QGIS 和插件版本。每个输入都是可选的：报告包含所给出的内容，并列出缺少的内容。它是整体研究模型的最后一步，可以基于任何一次运行的输出运行（docs/method.md，第 5 至 13 步）。

地图

时序栅格第一年和最后一年的碳密度（二者使用同一色阶）、Sen 斜率、趋势分类、未来趋势、变异系数、Hurst 指数、驱动类型、LISA 聚集和分区。每幅地图使用保存在其栅格旁边的样式（name.qml，由本插件的每个算法写出）；没有样式时，分类栅格按其所含类别配色（名称取自栅格的类别名称），连续栅格在其第 2–98 百分位之间使用色带。地图默认以 150 dpi 绘制（高级参数）。

各类别面积

栅格坐标参考系椭球面上的像元真实面积（任何坐标参考系；没有坐标参考系的栅格会使运行中止），逐块读取；编码 0 和无数据不计；占比为占已分类像元的比例。

文件

地图为嵌入页面的 PNG 图像，图表为内联 SVG，样式为内联样式：文件可离线打开，不含脚本，不获取任何外部资源，打印时每个部分从新页开始。步骤报告是参数中指明的算法写出的 HTML 文件：研究报告读取每个算法写在其页面旁边的数据（name.json：以数字和纯文本表示的同一报告），从不读取页面本身；数据缺失或无效时，运行中止并给出文件名。研究报告也会在其旁边写出自己的数据。

参考文献

Bao, Y. et al. (2026) Spatiotemporal changes and potential diagnostic zoning of ecosystem carbon sinks in Ningxia. Arid Land Geography 49(4):740–755.
</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="174"/>
        <source>Language of the report</source>
        <translation>报告语言</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="174"/>
        <source>Headings, table headers and class names of the report; default: the QGIS interface&apos;s.</source>
        <translation>报告的标题、表头和类别名称所用语言；默认：QGIS 界面语言。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="273"/>
        <source>Not given: {}</source>
        <translation>未给出：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="187"/>
        <source>Global Moran&apos;s I table</source>
        <translation>全局莫兰指数表</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="190"/>
        <source>The MORAN_TABLE output of Global Moran&apos;s I (of the Sen slope): a section.</source>
        <translation>“全局莫兰指数”（Sen 斜率的）的 MORAN_TABLE 输出：在报告中成为一节。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="198"/>
        <source>The SAMPLES output of Augment samples: the report summarises plots and augmented points.</source>
        <translation>“按 NPP 比值扩充样本”的 SAMPLES 输出：报告汇总样地和扩充点。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="206"/>
        <source>Inputs and settings of the run (JSON)</source>
        <translation>运行的输入与设置（JSON）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="209"/>
        <source>What produced the results, as JSON: {&quot;inputs&quot;: {name: file or list of files}, &quot;settings&quot;: {name: value}}; the whole-study model fills it. Shown under &quot;Provenance&quot;.</source>
        <translation>生成结果所依据的内容，JSON 格式：{&quot;inputs&quot;: {name: file or list of files}, &quot;settings&quot;: {name: value}}（name 为名称，file 为文件或文件列表，value 为取值）；整体研究模型会填写它。显示在报告的“生成信息”部分。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="404"/>
        <source>fewer than {} valid years</source>
        <translation>有效年份少于 {} 年</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="405"/>
        <source>the same value in every year</source>
        <translation>每年的值都相同</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="406"/>
        <source>the same value in most of the first years (too few R/S windows)</source>
        <translation>最初大部分年份的值相同（R/S 窗口太少）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="417"/>
        <source>The results of a carbon-sink study (no carbon density stack given).</source>
        <translation>一项碳汇研究的结果（未给出碳密度时序栅格）。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="424"/>
        <source>Period {}–{} ({} years); region: {:,.0f} hm² with a carbon density</source>
        <translation>时段 {}–{} 年（{} 年）；区域：有碳密度的面积 {:,.0f} hm²</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="427"/>
        <source> ({}).</source>
        <translation>（{}）。</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="436"/>
        <source>Inputs and settings of the run (PROVENANCE): {}</source>
        <translation>运行的输入与设置（PROVENANCE）：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="470"/>
        <source>Global Moran&apos;s I (table of carbonsink:globalmoran)</source>
        <translation>全局莫兰指数（carbonsink:globalmoran 的表）</translation>
    </message>
    <message>
        <location filename="../algorithms/study_report.py" line="482"/>
        <source>Zoning rules (the zones are not those of the default rule table)</source>
        <translation>分区规则（这些分区不是默认规则表中的分区）</translation>
    </message>
</context>
<context>
    <name>SubmitDaskJob</name>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="62"/>
        <source> From the plugin folder: python3 -m pip install -r requirements-cluster.txt (numpy is left as it is).</source>
        <translation>请在插件文件夹中运行：python3 -m pip install -r requirements-cluster.txt（numpy 保持不变）。</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="68"/>
        <source>Job file (JSON: step, inputs, outputs, parameters)</source>
        <translation>作业文件（JSON：step、inputs、outputs、parameters）</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="71"/>
        <source>The step&apos;s id and its inputs, outputs and parameters under the algorithm&apos;s own parameter names; paths as the workers see them.</source>
        <translation>步骤的 id 及其输入、输出和参数，使用该算法自身的参数名称；路径按工作节点所见的形式给出。</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="78"/>
        <source>Dask scheduler address (tcp://host:port of a running scheduler)</source>
        <translation>Dask 调度器地址（正在运行的调度器的 tcp://host:port）</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="83"/>
        <source>A running scheduler with at least one worker; no worker is started here.</source>
        <translation>正在运行且至少有一个工作节点的调度器；此处不会启动任何工作节点。</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="85"/>
        <source>Seconds to wait for the scheduler and its first worker</source>
        <translation>等待调度器及其第一个工作节点的秒数</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="93"/>
        <source>The run stops with a message when no worker has joined by then.</source>
        <translation>届时若仍没有工作节点加入，运行将中止并给出消息。</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="95"/>
        <source>Pixels computed</source>
        <translation>已计算的像元数</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="96"/>
        <source>Run report (JSON)</source>
        <translation>运行报告（JSON）</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="101"/>
        <source>Dask scheduler address &apos;{}&apos; is not an address like tcp://host:8786. This tool only submits to a running scheduler; it never starts workers inside QGIS.</source>
        <translation>Dask 调度器地址“{}”不是形如 tcp://host:8786 的地址。此工具只向正在运行的调度器提交作业；它从不在 QGIS 内部启动工作节点。</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="113"/>
        <source>Dask scheduler address &apos;{}&apos; is not an address like tcp://host:8786.</source>
        <translation>Dask 调度器地址“{}”不是形如 tcp://host:8786 的地址。</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="120"/>
        <source>Job file &apos;{}&apos; is not valid JSON: {}</source>
        <translation>作业文件“{}”不是有效的 JSON：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="123"/>
        <source>Submitting '{}' to {}…</source>
        <translation>正在将“{}”提交到 {}…</translation>
    </message>
    <message>
        <location filename="../algorithms/submit_dask_job.py" line="133"/>
        <source>{:,} chunks on {} workers in {:.1f} s; {:,} of {:,} pixels computed.</source>
        <translation>{:,} 个分块，{} 个工作节点，用时 {:.1f} 秒；已计算 {:,} 个像元（共 {:,} 个）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="79"/>
        <source>Submit a job to a Dask cluster</source>
        <translation>向 Dask 集群提交作业</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="80"/>
        <source>
Runs one step of the plugin on a Dask cluster that is already running, chunk by chunk, for rasters larger
than one machine handles: Sen + Mann–Kendall, coefficient of variation, Hurst exponent, carbon storage with
its totals, global Moran's I of a raster and LISA with analytic inference (docs/method.md, steps 5–8 and
12). The pixels written are those of the step's own algorithm; the outputs are Cloud Optimized GeoTIFFs
with the same nodata, band descriptions, colour tables and .qml styles.

Job file

JSON with the algorithm's parameter names, for example
{&quot;step&quot;: &quot;senmannkendall&quot;, &quot;inputs&quot;: {&quot;INPUT&quot;: &quot;/data/cd.tif&quot;}, &quot;outputs&quot;: {&quot;SLOPE&quot;: &quot;/data/slope.tif&quot;,
&quot;TREND_CLASS&quot;: &quot;/data/trend.tif&quot;}, &quot;parameters&quot;: {&quot;ALPHA&quot;: 0.05}}. Paths must be the same on this machine
and on the workers (a shared file system).

Scheduler

The address of a running Dask scheduler (tcp://host:8786), for example started under SLURM with
dask-jobqueue or on Kubernetes. This tool never starts workers: QGIS's Python cannot start them. Workers
need Dask and this plugin's folder on their PYTHONPATH; the same job runs without QGIS with
python3 -m core.distributed job.json --scheduler tcp://host:8786 from the plugin folder.

References

Rocklin, M. (2015) Dask: parallel computation with blocked algorithms and task scheduling. Proc. 14th Python
in Science Conf.: 130–136. Cloud Optimized GeoTIFF: GDAL's COG driver (gdal.org/drivers/raster/cog.html).
</source>
        <translation>
在已运行的 Dask 集群上逐块运行本插件的某一步骤，用于单台机器处理不了的大栅格：Sen + Mann–Kendall、变异系数、Hurst 指数、碳储量及其合计、栅格的全局莫兰指数，以及采用解析推断的 LISA（docs/method.md，第 5–8 步和第 12 步）。写出的像元值与该步骤自身算法的结果相同；输出为云优化 GeoTIFF（Cloud Optimized GeoTIFF），具有相同的无数据值、波段描述、颜色表和 .qml 样式。

作业文件

使用算法参数名称的 JSON，例如
{&quot;step&quot;: &quot;senmannkendall&quot;, &quot;inputs&quot;: {&quot;INPUT&quot;: &quot;/data/cd.tif&quot;}, &quot;outputs&quot;: {&quot;SLOPE&quot;: &quot;/data/slope.tif&quot;,
&quot;TREND_CLASS&quot;: &quot;/data/trend.tif&quot;}, &quot;parameters&quot;: {&quot;ALPHA&quot;: 0.05}}。路径在本机和各工作节点上必须相同（共享文件系统）。

调度器

正在运行的 Dask 调度器的地址（tcp://host:8786），例如在 SLURM 下用 dask-jobqueue 启动的或在 Kubernetes 上启动的调度器。此工具从不启动工作节点：QGIS 的 Python 无法启动它们。工作节点需要安装 Dask，且其 PYTHONPATH 中需包含本插件的文件夹；同一作业也可以不经 QGIS 运行：在插件文件夹中执行 python3 -m core.distributed job.json --scheduler tcp://host:8786。

参考文献

Rocklin, M. (2015) Dask: parallel computation with blocked algorithms and task scheduling. Proc. 14th Python in Science Conf.: 130–136. Cloud Optimized GeoTIFF: GDAL's COG driver (gdal.org/drivers/raster/cog.html).
</translation>
    </message>
</context>
<context>
    <name>TrainCarbonModel</name>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="195"/>
        <source>Units of the factors (stored with the model)</source>
        <translation>因子单位（随模型保存）</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="198"/>
        <source>e.g. NPP=gC/m2/yr;DEM=m: written into the model file and its report.</source>
        <translation>例如 NPP=gC/m2/yr;DEM=m：写入模型文件及其报告。</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="200"/>
        <source>Carbon Sink model (*.npz)</source>
        <translation>碳汇模型 (*.npz)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="207"/>
        <source>Accuracy metrics</source>
        <translation>精度指标</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="215"/>
        <source>Factor importance</source>
        <translation>因子重要性</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="215"/>
        <source>Impurity and permutation importance of each factor.</source>
        <translation>各因子的不纯度重要性和置换重要性。</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="223"/>
        <source>Validation R²</source>
        <translation>验证集 R²</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="334"/>
        <source>No carbon density field given</source>
        <translation>未给出碳密度字段</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="346"/>
        <source>No model file given</source>
        <translation>未给出模型文件</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="358"/>
        <source>Cannot write the model file {}</source>
        <translation>无法写入模型文件 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="360"/>
        <source>Model written to {} (SHA-256 {}…)</source>
        <translation>模型已写入 {}（SHA-256 {}…）</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="443"/>
        <source>Layer &apos;{}&apos; ({} usable points; {})</source>
        <translation>图层“{}”（{} 个可用点；{}）</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="491"/>
        <source>Importance (impurity; permutation on the {} points):</source>
        <translation>重要性（不纯度；在 {} 个点上的置换重要性）：</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="294"/>
        <source>Train carbon density model</source>
        <translation>训练碳密度模型</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="207"/>
        <source>R², MAE, RMSE and n of the hold-out and of each cross-validation (and each kind compared).</source>
        <translation>留出集和每种交叉验证（以及每种比较的模型类型）的 R²、MAE、RMSE 和 n。</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="224"/>
        <source>Cross-validated RMSE (t C/hm²)</source>
        <translation>交叉验证 RMSE（t C/hm²）</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="225"/>
        <source>Model kind fitted</source>
        <translation>拟合的模型类型</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="277"/>
        <source>Random Forest</source>
        <translation>随机森林</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="277"/>
        <source>Histogram gradient boosting (scikit-learn)</source>
        <translation>直方图梯度提升（scikit-learn）</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="277"/>
        <source>XGBoost (needs the xgboost package)</source>
        <translation>XGBoost（需要 xgboost 包）</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="277"/>
        <source>Compare all: keep the lowest cross-validated RMSE</source>
        <translation>全部比较：保留交叉验证 RMSE 最低者</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="311"/>
        <source>None: random k-fold only</source>
        <translation>无：仅随机 k 折</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="311"/>
        <source>Spatial blocks</source>
        <translation>空间块</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="311"/>
        <source>Spatial clusters</source>
        <translation>空间聚类</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="393"/>
        <source>XGBoost is not installed: comparing Random Forest and histogram gradient boosting.</source>
        <translation>未安装 XGBoost：比较随机森林和直方图梯度提升。</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="421"/>
        <source>{}: {}. {} Or choose the model kind &apos;Histogram gradient boosting&apos;, which needs only scikit-learn.</source>
        <translation>{}：{}。{}或选择模型类型“直方图梯度提升”，它只需要 scikit-learn。</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="433"/>
        <source>Spatial block size (automatic): {:,.6g} map units</source>
        <translation>空间块大小（自动）：{:,.6g} 地图单位</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="435"/>
        <source>Fitting {} on {:,} points: {:.0%} held out at random, {}-fold cross-validation by {}, seed {}…</source>
        <translation>正在拟合{0}，共 {1:,} 个点：随机留出 {2:.0%}，按{4}做 {3} 折交叉验证，随机种子 {5}…</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="461"/>
        <source>and compare {}</source>
        <translation>并比较 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="466"/>
        <source>Model kinds on the same folds (pooled out-of-fold):</source>
        <translation>相同折上的各模型类型（合并的折外预测）：</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="472"/>
        <source>Accuracy of the {} (hold-out and cross-validation):</source>
        <translation>{}的精度（留出集与交叉验证）：</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="480"/>
        <source>Moran&apos;s I of the out-of-fold residuals: {:.3f} (z {:.2f}, p {:.3g})</source>
        <translation>折外残差的莫兰指数：{:.3f}（z {:.2f}，p {:.3g}）</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="484"/>
        <source>Prediction interval {:.0%}: coverage {:.1%} out-of-fold, {} on the hold-out</source>
        <translation>预测区间 {:.0%}：折外覆盖率 {:.1%}，留出集上 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/train_carbon_model.py" line="488"/>
        <source>Area of applicability: dissimilarity index threshold {:.3f}</source>
        <translation>适用域：相异度指数阈值 {:.3f}</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="295"/>
        <source>random forest,random forests,gradient boosting,xgboost,machine learning,regression,carbon density model,training,cross-validation,spatial cross-validation,feature importance,prediction interval,uncertainty,area of applicability</source>
        <translation>random forest,random forests,gradient boosting,xgboost,machine learning,regression,carbon density model,training,cross-validation,spatial cross-validation,feature importance,prediction interval,uncertainty,area of applicability,随机森林,梯度提升,XGBoost,机器学习,回归,碳密度模型,训练,交叉验证,空间交叉验证,特征重要性,预测区间,不确定性,适用域</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="296"/>
        <source>
Fits a model of carbon density on factor rasters (NPP, NDVI, precipitation, temperature, DEM …) sampled at
the points, and writes a model file that &quot;Predict annual carbon density&quot; applies to each year's rasters
(docs/method.md, step 4). The model is a Random Forest (the paper's), histogram gradient boosting or XGBoost,
or the best of them by spatial cross-validation. Reports the accuracy on a random hold-out (as the paper)
and in a spatial cross-validation side by side, Moran's I of the residuals, the prediction interval, the area
of applicability, the importance of each factor and an observed-versus-predicted plot.

Inputs

A point layer with a carbon density field (t C/hm²), and one single-band raster per factor, all on one grid
(same CRS, extent and pixel size; nothing is resampled). A factor is named after its layer, and the
prediction matches rasters to the model's factors by these names, so name the layers as you will name the
prediction inputs (NPP, NDVI, AP, MAT, DEM). For a yearly factor, train on the raster of the survey year (or
a multi-year mean), named after the factor (NPP_2024 is the factor NPP). Points are transformed to the
rasters' CRS; a point outside the rasters, on nodata of any factor or without a carbon density is left out
and counted in the log. Use a projected CRS (metres) for spatial blocks.

Model kinds

- Random Forest (default): scikit-learn's RandomForestRegressor, bootstrap samples, squared-error splits over
all factors; 100 trees, minimum leaf 20, maximum depth 10 by default (the paper's settings).
- Histogram gradient boosting: scikit-learn's HistGradientBoostingRegressor (no extra package): 100
boosting iterations, minimum leaf 20, unlimited depth, learning rate 0.1 by default.
- XGBoost: needs the Python package xgboost (the run stops with how to install it when it is missing); 100
rounds, minimum leaf weight 20, depth 6, learning rate 0.1. Stored from its JSON dump, never a pickle.
- Compare all: Random Forest, histogram gradient boosting and (when installed) XGBoost, each with its own
default depth and rate, are cross-validated on the same folds; the kind with the lowest pooled out-of-fold
RMSE is fitted and written, and the report and the metrics table list each kind's scores.

Maximum depth 0 and learning rate 0 take the kind's default. The seed fixes the hold-out, the folds, the
models, the permutations and the replicates: the same inputs and seed give the same model.

Validation

A random share of the points (validation fraction, default 10 %) is held out as in the paper. On the other
points a k-fold cross-validation (k = number of folds, default 5) refits the model k times, each time without
one fold, and predicts that fold:
- random k-fold (no spatial folds): folds drawn at random;
- spatial blocks (default): the points are grouped by square blocks of the given side (map units; 0 =
automatic: the larger side of the points' bounding box / (2·⌈√k⌉)) and whole blocks are assigned to folds;
- spatial clusters: k-means clusters of the point coordinates are the folds.
Spatial folds predict plots away from the training plots, as the map does; random folds and the random
hold-out are optimistic when plots are clustered. Random k-fold is always computed too, for comparison.

  R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²,  MAE = mean |y − ŷ|,  RMSE = √(mean (y − ŷ)²)

Moran's I of the out-of-fold residuals at the points (8 nearest neighbours, 999 permutations): a
significant positive I means spatial structure is left in the errors, and a warning says so.

Prediction interval

At the interval level (default 0.9; 0 = none): for a Random Forest a quantile regression forest (the
quantiles of the training values in the leaves a pixel falls in, averaged over the trees); for gradient
boosting two quantile-loss models. The bounds are calibrated on the out-of-fold predictions of the
cross-validation (conformalized quantile regression), so that the share of plots inside the interval is
close to the level; the coverage on the cross-validation and on the hold-out is reported.

Area of applicability

The dissimilarity index (DI) of a pixel is its distance to the nearest training point in standardised factor
space weighted by the permutation importance, divided by the mean distance between training points; its
threshold is the upper whisker of the cross-validated DI of the training points (Meyer &amp; Pebesma 2021). The
prediction maps the DI and the area inside the threshold.

Storage confidence intervals

&quot;Carbon storage accounting&quot; gives confidence intervals of the totals from the model's replicates: the trees
of a Random Forest (each grown on a bootstrap sample of the points) or, for gradient boosting, the bootstrap
replicates fitted here (advanced, default 30; they make the model file larger and the storage pass slower).

Importance: permutation importance (mean ± sd over 10 shuffles of the drop in validation R² when one factor
is shuffled; the training points when there is no validation set) and, for a Random Forest, impurity
importance (sums to 1; it favours factors with many distinct values).

Outputs

- Model file (.npz): the trees as plain numeric arrays, the training points (for the interval and the area
of applicability), the factor names in order, their units (advanced, e.g. NPP=gC/m2/yr;DEM=m), the CRS of
the training rasters, the metrics and the settings. It is not a pickle: opening it runs no code, and the
prediction checks it array by array and against its SHA-256 checksum, so a damaged or edited file is refused.
- Metrics: set, r2, mae, rmse, n: train, validation, then per cross-validation scheme (cv_blocks,
cv_clusters or cv_random) the pooled out-of-fold scores and their _mean and _sd over the folds, and
compare_random_forest, compare_hist_gradient_boosting … when kinds are compared.
- Importance: factor, impurity, permutation_mean, permutation_sd.
- Report: a self-contained HTML page with the tables and charts.

References

Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Chen, T. &amp; Guestrin, C. (2016) XGBoost.
KDD '16:785–794. Roberts, D. R. et al. (2017) Ecography 40:913–929. Meinshausen, N. (2006) Quantile
regression forests. JMLR 7:983–999. Romano, Y. et al. (2019) Conformalized quantile regression. NeurIPS 32.
Meyer, H. &amp; Pebesma, E. (2021) Methods in Ecology and Evolution 12:1620–1633.
</source>
        <translation>
以在各点上采样的因子栅格（NPP、NDVI、降水、气温、DEM…）拟合碳密度模型，并写出模型文件，供“预测逐年碳密度”应用于各年份的栅格（docs/method.md，第 4 步）。模型为随机森林（论文所用）、直方图梯度提升或 XGBoost，或按空间交叉验证从中选出的最优者。并列报告随机留出集（与论文相同）和空间交叉验证上的精度、残差的莫兰指数、预测区间、适用域、各因子的重要性，以及实测与预测散点图。

输入

一个带碳密度字段（t C/hm²）的点图层，以及每个因子一个单波段栅格，全部位于同一格网（相同的坐标参考系、范围和像元大小；不做重采样）。因子以其图层命名，预测时按这些名称将栅格与模型的因子匹配，因此图层命名应与预测输入的命名一致（NPP、NDVI、AP、MAT、DEM）。对逐年因子，用调查年份的栅格（或多年均值）训练，并以因子命名（NPP_2024 即因子 NPP）。点被转换到栅格的坐标参考系；位于栅格之外、位于任一因子的无数据处或没有碳密度的点被剔除，并在日志中计数。空间块请使用投影坐标参考系（米）。

模型类型

- 随机森林（默认）：scikit-learn 的 RandomForestRegressor，自助抽样，在全部因子上按平方误差分裂；默认 100 棵树、最小叶节点 20、最大深度 10（论文的设置）。
- 直方图梯度提升：scikit-learn 的 HistGradientBoostingRegressor（无需额外的包）：默认 100 次提升迭代、最小叶节点 20、深度不限、学习率 0.1。
- XGBoost：需要 Python 包 xgboost（缺少时运行中止并说明如何安装）；100 轮、最小叶节点权重 20、深度 6、学习率 0.1。以其 JSON 导出保存，绝不使用 pickle。
- 全部比较：随机森林、直方图梯度提升和（已安装时）XGBoost 各用其默认深度和学习率，在相同的折上做交叉验证；合并折外 RMSE 最低的类型被拟合并写出，报告和精度指标表列出每种类型的得分。

最大深度 0 和学习率 0 取该类型的默认值。随机种子确定留出集、折、模型、置换和重复：相同的输入和种子得到相同的模型。

验证

与论文相同，随机留出一部分点（验证比例，默认 10 %）。在其余点上做 k 折交叉验证（k = 折数，默认 5），重新拟合模型 k 次，每次去掉一折并预测该折：
- 随机 k 折（无空间折）：随机抽取各折；
- 空间块（默认）：按给定边长的正方形块（地图单位；0 = 自动：点的外包矩形较长边 / (2·⌈√k⌉)）对点分组，整块分配到各折；
- 空间聚类：点坐标的 k-means 聚类即为各折。
空间折预测远离训练样地的样地，与制图时相同；样地成簇分布时，随机折和随机留出集的结果偏于乐观。随机 k 折总会同时计算，以供比较。

  R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²，MAE = mean |y − ŷ|，RMSE = √(mean (y − ŷ)²)

各点上折外残差的莫兰指数（8 个最近邻，999 次置换）：显著为正的 I 表示误差中仍有空间结构，此时会给出警告。

预测区间

按区间水平（默认 0.9；0 = 无）：随机森林采用分位数回归森林（像元所落入叶节点中训练值的分位数，在各棵树上取平均）；梯度提升采用两个分位数损失模型。区间上下限在交叉验证的折外预测上校准（保形分位数回归），使落在区间内的样地比例接近该水平；报告交叉验证和留出集上的覆盖率。

适用域

像元的相异度指数（DI）为在按置换重要性加权的标准化因子空间中到最近训练点的距离，除以训练点之间的平均距离；其阈值为训练点交叉验证 DI 的上须（Meyer &amp; Pebesma 2021）。预测时输出 DI 以及阈值以内的区域。

碳储量置信区间

“碳储量核算”由模型的重复给出合计的置信区间：随机森林的各棵树（每棵树在点的一个自助样本上生长），或对梯度提升而言，在此处拟合的自助法重复（高级参数，默认 30；它们会使模型文件更大、碳储量计算更慢）。

重要性：置换重要性（打乱某一因子时验证集 R² 下降量在 10 次打乱上的均值 ± 标准差；无验证集时用训练点），对随机森林另给出不纯度重要性（总和为 1；偏向取值种类多的因子）。

输出

- 模型文件（.npz）：以纯数值数组表示的树、训练点（用于预测区间和适用域）、按顺序排列的因子名称、其单位（高级参数，如 NPP=gC/m2/yr;DEM=m）、训练栅格的坐标参考系、精度指标和设置。它不是 pickle：打开它不会执行任何代码，预测时会逐个数组检查并核对其 SHA-256 校验和，因此损坏或被编辑过的文件会被拒绝。
- 精度指标：set、r2、mae、rmse、n：train、validation，然后按每种交叉验证方案（cv_blocks、cv_clusters 或 cv_random）给出合并的折外得分及其在各折上的 _mean 和 _sd，比较模型类型时还有 compare_random_forest、compare_hist_gradient_boosting…。
- 重要性：factor、impurity、permutation_mean、permutation_sd。
- 报告：包含表格和图表的自包含 HTML 页面。

参考文献

Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Chen, T. &amp; Guestrin, C. (2016) XGBoost. KDD '16:785–794. Roberts, D. R. et al. (2017) Ecography 40:913–929. Meinshausen, N. (2006) Quantile regression forests. JMLR 7:983–999. Romano, Y. et al. (2019) Conformalized quantile regression. NeurIPS 32. Meyer, H. &amp; Pebesma, E. (2021) Methods in Ecology and Evolution 12:1620–1633.
</translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <location filename="../build/i18n/extracted.py" line="90"/>
        <source>Years of the bands in order, e.g. 2001-2024 or 2001,2003,2005 (gaps allowed). Empty: read from the netCDF time axis, the band descriptions or YEAR metadata, or the file names (npp_2003.tif).</source>
        <translation>各波段按顺序对应的年份，例如 2001-2024 或 2001,2003,2005（允许间断）。为空：从 netCDF 时间轴、波段描述或 YEAR 元数据、或文件名（npp_2003.tif）读取。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="91"/>
        <source>Yearly stack (one band per year, or one raster per year)</source>
        <translation>逐年时序栅格（每年一个波段，或每年一个栅格）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="92"/>
        <source>A multi-band raster with one band per year, or one single-band raster per year, or a netCDF variable (NETCDF:&quot;file.nc&quot;:var) with a time axis. All on one grid.</source>
        <translation>每年一个波段的多波段栅格，或每年一个单波段栅格，或带时间轴的 netCDF 变量（NETCDF:&quot;file.nc&quot;:var）。全部位于同一格网。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="93"/>
        <source>Years of the bands (empty: from the data)</source>
        <translation>波段年份（为空：从数据读取）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="94"/>
        <source>Carbon density stack (t C/hm², one band per year)</source>
        <translation>碳密度时序栅格（t C/hm²，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="95"/>
        <source>Carbon density in t C/hm² (= Mg C/ha), one band per year: the CARBON_DENSITY output of Predict annual carbon density, or any stack of the same form.</source>
        <translation>以 t C/hm²（= Mg C/ha）为单位的碳密度，每年一个波段：“预测逐年碳密度”的 CARBON_DENSITY 输出，或任何同样形式的时序栅格。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="96"/>
        <source>Carbon density at the start (t C/hm²)</source>
        <translation>起始碳密度（t C/hm²）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="97"/>
        <source>Carbon density in t C/hm² at the date of the start land use (single band).</source>
        <translation>起始土地利用时点的碳密度，单位 t C/hm²（单波段）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="98"/>
        <source>Carbon density at the end (t C/hm²)</source>
        <translation>终止碳密度（t C/hm²）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="99"/>
        <source>Carbon density in t C/hm² at the date of the end land use (single band).</source>
        <translation>终止土地利用时点的碳密度，单位 t C/hm²（单波段）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="100"/>
        <source>Temperature stack (°C, one band per year)</source>
        <translation>气温时序栅格（°C，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="101"/>
        <source>Mean annual temperature, one band per year, on the grid of the other inputs.</source>
        <translation>年平均气温，每年一个波段，与其他输入位于同一格网。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="102"/>
        <source>Precipitation stack (mm, one band per year)</source>
        <translation>降水时序栅格（mm，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="103"/>
        <source>Annual precipitation, one band per year, on the grid of the other inputs.</source>
        <translation>年降水量，每年一个波段，与其他输入位于同一格网。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="104"/>
        <source>Aridity index stack (one band per year)</source>
        <translation>干燥度指数时序栅格（每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="105"/>
        <source>Aridity index, one band per year (P/PET by default: larger is wetter).</source>
        <translation>干燥度指数，每年一个波段（默认为 P/PET：越大越湿润）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="106"/>
        <source>Land use at the start (integer class codes)</source>
        <translation>起始土地利用（整数类别编码）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="107"/>
        <source>Land-use raster of the first date, one integer code per class (e.g. CNLUCC 1-6 or 11-67).</source>
        <translation>第一个时点的土地利用栅格，每个类别一个整数编码（如 CNLUCC 1-6 或 11-67）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="108"/>
        <source>Land use at the end (integer class codes)</source>
        <translation>终止土地利用（整数类别编码）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="109"/>
        <source>Land-use raster of the last date, with the codes of the start raster.</source>
        <translation>最后一个时点的土地利用栅格，编码与起始栅格相同。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="110"/>
        <source>Sen slope (units per year)</source>
        <translation>Sen 斜率（单位/年）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="111"/>
        <source>Theil–Sen slope per pixel, in the stack's units per year (the SLOPE output of Theil–Sen slope and Mann–Kendall trend).</source>
        <translation>逐像元 Theil–Sen 斜率，单位为时序栅格的单位/年（“Theil–Sen 斜率与 Mann–Kendall 趋势”的 SLOPE 输出）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="112"/>
        <source>p-value (two-sided)</source>
        <translation>p 值（双侧）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="113"/>
        <source>Two-sided p-value per pixel of the test the step computes (Mann–Kendall for a trend, local Moran's I for LISA).</source>
        <translation>该步骤所做检验的逐像元双侧 p 值（趋势为 Mann–Kendall 检验，LISA 为局部莫兰指数）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="114"/>
        <source>z-score</source>
        <translation>z 得分</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="115"/>
        <source>Standardised test statistic per pixel (Mann–Kendall Z for a trend, z of local Moran's I for LISA).</source>
        <translation>逐像元标准化检验统计量（趋势为 Mann–Kendall Z，LISA 为局部莫兰指数的 z）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="116"/>
        <source>Trend class (Sen + Mann–Kendall)</source>
        <translation>趋势分类（Sen + Mann–Kendall）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="117"/>
        <source>Class raster of the TREND_CLASS output of Theil–Sen slope and Mann–Kendall trend: significant increase, no significant change, significant decrease (or five classes).</source>
        <translation>“Theil–Sen 斜率与 Mann–Kendall 趋势”的 TREND_CLASS 输出分类栅格：显著增加、无显著变化、显著减少（或五类）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="118"/>
        <source>Hurst exponent</source>
        <translation>Hurst 指数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="119"/>
        <source>Hurst exponent per pixel (the HURST output of Hurst exponent): above 0.5 persistent, below 0.5 anti-persistent.</source>
        <translation>逐像元 Hurst 指数（“Hurst 指数”的 HURST 输出）：大于 0.5 为持续性，小于 0.5 为反持续性。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="120"/>
        <source>Future trend class</source>
        <translation>未来趋势分类</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="121"/>
        <source>Class raster of the FUTURE_CLASS output of Future trend (Sen slope × Hurst).</source>
        <translation>“未来趋势（Sen 斜率 × Hurst 指数）”的 FUTURE_CLASS 输出分类栅格。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="122"/>
        <source>Coefficient of variation (Cv)</source>
        <translation>变异系数（Cv）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="123"/>
        <source>Cv = σ / μ of each pixel's yearly series (the CV output of Coefficient of variation).</source>
        <translation>各像元逐年序列的 Cv = σ / μ（“变异系数”的 CV 输出）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="124"/>
        <source>Stability class (Cv)</source>
        <translation>稳定性分级（Cv）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="125"/>
        <source>Cv in classes from high to low stability.</source>
        <translation>按稳定性由高到低分级的 Cv。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="126"/>
        <source>LISA cluster</source>
        <translation>LISA 聚集</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="127"/>
        <source>Class raster of the LISA_CLUSTER output of Local Moran&apos;s I: High-High, Low-Low, High-Low, Low-High, Not significant, Isolated.</source>
        <translation>“局部莫兰指数”的 LISA_CLUSTER 输出分类栅格：高–高聚集、低–低聚集、高–低异常、低–高异常、不显著、孤立。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="128"/>
        <source>Climate driver type</source>
        <translation>气候驱动类型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="129"/>
        <source>Class raster of the DRIVER_CLASS output of Climate partial correlation and driver types.</source>
        <translation>“气候偏相关与驱动类型”的 DRIVER_CLASS 输出分类栅格。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="130"/>
        <source>Diagnostic zones</source>
        <translation>诊断分区</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="131"/>
        <source>Class raster of the ZONES output of Diagnostic zoning.</source>
        <translation>“诊断分区”的 ZONES 输出分类栅格。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="132"/>
        <source>Carbon storage (t C per pixel, one band per year)</source>
        <translation>碳储量（每像元 t C，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="133"/>
        <source>Carbon storage of each pixel (density × true pixel area), one band per year.</source>
        <translation>各像元的碳储量（碳密度 × 像元真实面积），每年一个波段。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="134"/>
        <source>Survey plots</source>
        <translation>调查样地</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="135"/>
        <source>Point layer of the measured survey plots (one feature per plot).</source>
        <translation>实测调查样地的点图层（每个样地一个要素）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="136"/>
        <source>Tree table (one row per tree)</source>
        <translation>乔木表（每株一行）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="137"/>
        <source>Table (CSV or any table layer) with one row per measured tree: plot id, species group, DBH, height.</source>
        <translation>每株实测乔木一行的表（CSV 或任何表图层）：样地编号、树种组、胸径、树高。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="138"/>
        <source>Sample points (survey plots and augmented points)</source>
        <translation>样本点（调查样地与扩充点）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="139"/>
        <source>Points with a carbon density field: the SAMPLES output of Augment samples by NPP ratio, or the survey plots themselves.</source>
        <translation>带碳密度字段的点：“按 NPP 比值扩充样本”的 SAMPLES 输出，或调查样地本身。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="140"/>
        <source>Carbon density field (t C/hm²)</source>
        <translation>碳密度字段（t C/hm²）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="141"/>
        <source>Numeric field with the carbon density of each point in t C/hm² (C_total of Plot carbon density, carbon_density of Augment samples).</source>
        <translation>各点碳密度（t C/hm²）所在的数值字段（“样地碳密度”的 C_total，“按 NPP 比值扩充样本”的 carbon_density）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="142"/>
        <source>Plot id field</source>
        <translation>样地编号字段</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="143"/>
        <source>Field that identifies each plot; messages and outputs name plots by it.</source>
        <translation>标识各样地的字段；消息和输出以它指称样地。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="144"/>
        <source>Ecosystem type field</source>
        <translation>生态系统类型字段</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="145"/>
        <source>Field with each plot's ecosystem type (forest, shrubland, grassland, cropland, wetland …), matched to the ecosystem table ignoring case.</source>
        <translation>各样地生态系统类型（森林、灌丛、草地、农田、湿地…）所在的字段，与生态系统表匹配时不区分大小写。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="146"/>
        <source>Ecosystem type raster (integer codes)</source>
        <translation>生态系统类型栅格（整数编码）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="147"/>
        <source>Raster of ecosystem type codes (integers 0–999).</source>
        <translation>生态系统类型编码栅格（整数 0–999）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="148"/>
        <source>Climate zone raster (integer codes)</source>
        <translation>气候区栅格（整数编码）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="149"/>
        <source>Raster of climate zone codes (integers, e.g. 1 arid, 2 semi-arid, 3 semi-humid).</source>
        <translation>气候区编码栅格（整数，如 1 干旱、2 半干旱、3 半湿润）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="150"/>
        <source>NPP of the survey year (raster)</source>
        <translation>调查年份的 NPP（栅格）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="151"/>
        <source>Net primary productivity in the year of the survey (any unit: only ratios are used).</source>
        <translation>调查年份的净初级生产力（任意单位：只使用其比值）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="152"/>
        <source>Number of random points</source>
        <translation>随机点数量</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="153"/>
        <source>Points to add: a total split among the strata by area, or a number per stratum (see ALLOCATION).</source>
        <translation>要增加的点：按面积分配到各分层的总数，或每层一个数量（见 ALLOCATION）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="154"/>
        <source>Factor rasters (one single-band raster per factor, named after it)</source>
        <translation>因子栅格（每个因子一个单波段栅格，以因子命名）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="155"/>
        <source>One single-band raster per candidate factor (NPP, NDVI, AP, MAT, DEM …), all on one grid. A factor is named after its layer; a year in the name is dropped (NPP_2024 is the factor NPP).</source>
        <translation>每个候选因子（NPP、NDVI、AP、MAT、DEM…）一个单波段栅格，全部位于同一格网。因子以其图层命名；名称中的年份会被去掉（NPP_2024 即因子 NPP）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="156"/>
        <source>Static factors (single-band rasters named after the factor)</source>
        <translation>静态因子（以因子命名的单波段栅格）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="157"/>
        <source>Factors that do not change over the years (e.g. DEM), one single-band raster each, named after the factor.</source>
        <translation>不随年份变化的因子（如 DEM），每个一个单波段栅格，以因子命名。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="158"/>
        <source>Yearly factors (one stack per factor, or rasters named factor_year)</source>
        <translation>逐年因子（每个因子一个时序栅格，或命名为 因子_年份 的栅格）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="159"/>
        <source>For each yearly factor, a multi-band stack named after the factor with the years in the band descriptions, or single-band rasters named factor_year (NPP_2001, NPP_2002 …).</source>
        <translation>每个逐年因子：一个以因子命名、年份在波段描述中的多波段时序栅格，或命名为 因子_年份 的单波段栅格（NPP_2001、NPP_2002…）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="160"/>
        <source>Use only these factors (comma-separated names)</source>
        <translation>仅使用这些因子（逗号分隔的名称）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="161"/>
        <source>Factor names to use, e.g. the KEPT_FACTORS output of Factor correlation screening. Empty: all given factors.</source>
        <translation>要使用的因子名称，如“因子相关性筛选”的 KEPT_FACTORS 输出。为空：全部给定因子。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="162"/>
        <source>Largest |r| between two kept factors</source>
        <translation>两个保留因子间的最大 |r|</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="163"/>
        <source>Of two factors whose Pearson |r| is above this value, the one less correlated with carbon density is dropped.</source>
        <translation>两个因子的 Pearson |r| 超过此值时，剔除与碳密度相关较弱的一个。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="164"/>
        <source>Model file (.npz)</source>
        <translation>模型文件（.npz）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="165"/>
        <source>The carbon density model written by Train carbon density model: arrays only, checked by its SHA-256 checksum when read.</source>
        <translation>“训练碳密度模型”写出的碳密度模型：只含数组，读取时以 SHA-256 校验和检查。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="190"/>
        <source>Points used</source>
        <translation>使用的点</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="191"/>
        <source>Number of points with a carbon density and a value of every factor.</source>
        <translation>具有碳密度和全部因子值的点数。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="192"/>
        <source>Reporting regions as a raster (integer codes)</source>
        <translation>栅格形式的统计区域（整数编码）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="193"/>
        <source>Regions to total by (counties, land-use classes …) as integer codes on the grid of the stack; names from the raster's category names if it has them.</source>
        <translation>用于分区汇总的区域（县、土地利用类别…），为时序栅格格网上的整数编码；若栅格有类别名称，则取其作为区域名称。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="194"/>
        <source>Reporting regions as polygons</source>
        <translation>多边形形式的统计区域</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="195"/>
        <source>Polygons of the regions to total by, burnt onto the grid by pixel centre.</source>
        <translation>用于分区汇总的区域多边形，按像元中心栅格化到格网上。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="196"/>
        <source>Region name field</source>
        <translation>区域名称字段</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="197"/>
        <source>Field of the region polygons that names each region.</source>
        <translation>区域多边形中为各区域命名的字段。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="198"/>
        <source>Class areas</source>
        <translation>各类别面积</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="199"/>
        <source>Table of the true (ellipsoidal) area of every class of the class raster, in hm² and per cent.</source>
        <translation>分类栅格各类别的真实（椭球）面积表，单位 hm² 和百分比。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="200"/>
        <source>Report (HTML)</source>
        <translation>报告（HTML）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="201"/>
        <source>A self-contained HTML page; the same report as data (JSON) is written beside it, with the same name and the extension .json. The study report reads that JSON.</source>
        <translation>自包含的 HTML 页面；同一报告的数据（JSON）写在其旁边，文件名相同、扩展名为 .json。研究报告读取该 JSON。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="202"/>
        <source>Significance level α</source>
        <translation>显著性水平 α</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="203"/>
        <source>A result is significant when its p-value is below α.</source>
        <translation>p 值小于 α 时结果显著。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="204"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="205"/>
        <source>The same seed and inputs give the same result.</source>
        <translation>相同的种子和输入得到相同的结果。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="206"/>
        <source>Minimum share of valid years per pixel (%)</source>
        <translation>像元有效年份的最低比例（%）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="207"/>
        <source>A pixel with fewer valid (not nodata, not NaN) years than this share is nodata in every output; never fewer than 4 years.</source>
        <translation>有效年份（非无数据、非 NaN）少于此比例的像元在所有输出中为无数据；有效年份不少于 4 年。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="208"/>
        <source>Memory budget per block (MB)</source>
        <translation>每块内存预算（MB）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="209"/>
        <source>Rasters are read and written in windows sized to stay within this budget (GDAL&apos;s cache included). Results do not depend on it.</source>
        <translation>栅格按窗口读写，窗口大小保证不超出此预算（含 GDAL 缓存）。结果与此无关。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="210"/>
        <source>Source layers or files (GeoTIFF, netCDF variables, HDF subdatasets)</source>
        <translation>源图层或文件（GeoTIFF、netCDF 变量、HDF 子数据集）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="211"/>
        <source>The downloaded files of one variable, in any CRS and resolution; or give a folder.</source>
        <translation>同一变量的已下载文件，任意坐标参考系和分辨率；或给出文件夹。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="212"/>
        <source>…or a folder of downloaded files</source>
        <translation>…或已下载文件所在的文件夹</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="213"/>
        <source>Every file of the folder whose name matches the pattern.</source>
        <translation>文件夹中名称与模式匹配的所有文件。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="214"/>
        <source>File pattern in the folder (separated by &apos;;&apos;)</source>
        <translation>文件夹中的文件名模式（以 ';' 分隔）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="215"/>
        <source>Shell patterns of the file names to take from the folder, e.g. *NPP*.tif;*.nc.</source>
        <translation>要从文件夹中选取的文件名的 shell 模式，如 *NPP*.tif;*.nc。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="216"/>
        <source>Variable name (for the log and table)</source>
        <translation>变量名（用于日志和表格）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="217"/>
        <source>Names the variable in the log, the table and the band descriptions.</source>
        <translation>日志、表格和波段描述中的变量名称。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="218"/>
        <source>Time step of the inputs</source>
        <translation>输入的时间步长</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="219"/>
        <source>0 yearly, 1 monthly to annual sum (precipitation), 2 monthly to annual mean (temperature), 3 static (one band, no year: DEM, soil …).</source>
        <translation>0 逐年，1 逐月转年总和（降水），2 逐月转年均值（气温），3 静态（一个波段，无年份：DEM、土壤…）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="220"/>
        <source>Minimum of valid months per year (monthly time steps)</source>
        <translation>每年有效月份的最少数量（逐月时间步长）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="221"/>
        <source>A pixel with fewer valid months in a year is nodata that year.</source>
        <translation>某年有效月份少于此数的像元在该年为无数据。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="222"/>
        <source>Resampling (average or bilinear for continuous data, mode or nearest for classes)</source>
        <translation>重采样（连续数据用平均值或双线性，类别用众数或最邻近）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="223"/>
        <source>0 average (default), 1 bilinear, 2 cubic, 3 nearest, 4 mode, 5 sum, 6 min, 7 max.</source>
        <translation>0 平均值（默认），1 双线性，2 三次卷积，3 最邻近，4 众数，5 总和，6 最小值，7 最大值。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="224"/>
        <source>Scale: value = stored × scale + offset</source>
        <translation>缩放：值 = 存储值 × 缩放系数 + 偏移量</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="225"/>
        <source>e.g. 0.0001 for MODIS NPP in kg C/m². Empty: the raster's own scale.</source>
        <translation>例如 MODIS NPP（kg C/m²）为 0.0001。为空：栅格自身的缩放系数。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="226"/>
        <source>Offset (added after the scale)</source>
        <translation>偏移量（缩放后加上）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="227"/>
        <source>Empty: the raster&apos;s own offset.</source>
        <translation>为空：栅格自身的偏移量。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="228"/>
        <source>Smallest valid stored value</source>
        <translation>最小有效存储值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="229"/>
        <source>Stored values below it are missing (before scale and offset), e.g. 0 for MODIS NPP.</source>
        <translation>小于此值的存储值视为缺失（缩放和偏移之前），如 MODIS NPP 为 0。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="230"/>
        <source>Largest valid stored value</source>
        <translation>最大有效存储值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="231"/>
        <source>Stored values above it are missing (before scale and offset), e.g. 32700 for MODIS NPP, whose codes 32761–32767 are fill values.</source>
        <translation>大于此值的存储值视为缺失（缩放和偏移之前），如 MODIS NPP 为 32700，其编码 32761–32767 为填充值。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="232"/>
        <source>Reference grid (a raster whose CRS, pixels and extent to take)</source>
        <translation>参考格网（取其坐标参考系、像元和范围的栅格）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="233"/>
        <source>Give the same reference to every variable of a study, so that all stacks share one grid.</source>
        <translation>为一项研究的每个变量给出相同的参考格网，使所有时序栅格共用一个格网。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="234"/>
        <source>…or the grid's CRS (empty: the first input's)</source>
        <translation>…或格网的坐标参考系（为空：取第一个输入的）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="235"/>
        <source>Without a reference grid: the CRS of the stack.</source>
        <translation>无参考格网时：时序栅格的坐标参考系。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="236"/>
        <source>Pixel size in the grid&apos;s CRS units (empty: the first input&apos;s)</source>
        <translation>以格网坐标参考系单位表示的像元大小（为空：取第一个输入的）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="237"/>
        <source>Without a reference grid: the pixel size of the stack (the first input&apos;s only in its own CRS).</source>
        <translation>无参考格网时：时序栅格的像元大小（仅当第一个输入位于其自身坐标参考系时取其像元大小）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="238"/>
        <source>Grid extent (empty: the boundary&apos;s, else the inputs&apos;)</source>
        <translation>格网范围（为空：取边界的范围，否则取输入的范围）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="239"/>
        <source>Snapped outwards to multiples of the pixel size.</source>
        <translation>向外对齐到像元大小的整数倍。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="240"/>
        <source>Study boundary (polygons; pixels outside are nodata)</source>
        <translation>研究区边界（多边形；边界外的像元为无数据）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="241"/>
        <source>A pixel whose centre is outside the polygons is nodata in every band.</source>
        <translation>中心位于多边形之外的像元在所有波段中为无数据。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="242"/>
        <source>Class raster for classes to leave out (e.g. land use)</source>
        <translation>用于剔除类别的分类栅格（如土地利用）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="243"/>
        <source>Taken to the grid by nearest neighbour; pixels of the classes to leave out are nodata.</source>
        <translation>以最邻近法转到格网上；要剔除类别的像元为无数据。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="244"/>
        <source>Classes to leave out (comma-separated codes)</source>
        <translation>要剔除的类别（逗号分隔的编码）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="245"/>
        <source>Codes of the class raster whose pixels are nodata in every band, e.g. 13,17 (water, built-up).</source>
        <translation>分类栅格中其像元在所有波段为无数据的编码，如 13,17（水域、建设用地）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="246"/>
        <source>Aligned stack (one band per year)</source>
        <translation>对齐的时序栅格（每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="247"/>
        <source>One band per year on the grid, the year as band description, masked.</source>
        <translation>格网上每年一个波段，年份作为波段描述，已掩膜。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="248"/>
        <source>What was done to each input</source>
        <translation>对各输入所做的处理</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="249"/>
        <source>One row per input band: date, source, CRS, pixel size, resampling, nodata, valid range.</source>
        <translation>每个输入波段一行：日期、来源、坐标参考系、像元大小、重采样、无数据值、有效范围。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="264"/>
        <source>Raster</source>
        <translation>栅格</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="265"/>
        <source>A raster band to analyse (e.g. the Sen slope of carbon density). Give this or a vector layer.</source>
        <translation>要分析的栅格波段（如碳密度的 Sen 斜率）。给出此项或矢量图层。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="266"/>
        <source>Band of the raster</source>
        <translation>栅格波段</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="267"/>
        <source>Band to analyse.</source>
        <translation>要分析的波段。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="268"/>
        <source>…or a vector layer (polygons or points)</source>
        <translation>…或矢量图层（多边形或点）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="269"/>
        <source>Polygons or points with a numeric field to analyse, instead of a raster.</source>
        <translation>代替栅格：带有待分析数值字段的多边形或点。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="270"/>
        <source>Value field (numeric)</source>
        <translation>数值字段（数值型）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="271"/>
        <source>Numeric field of the vector layer to analyse; features with NULL are left out.</source>
        <translation>矢量图层中待分析的数值字段；值为 NULL 的要素被剔除。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="272"/>
        <source>Spatial weights (rasters: queen or rook only)</source>
        <translation>空间权重（栅格：仅后邻接或车邻接）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="273"/>
        <source>Neighbours of each pixel or feature: queen (shared edge or corner), rook (shared edge), the k nearest neighbours or a distance band (points or polygon centroids). Row-standardised.</source>
        <translation>各像元或要素的邻域：后邻接（共边或共点）、车邻接（共边）、k 最近邻或距离带（点或多边形质心）。行标准化。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="274"/>
        <source>Number of nearest neighbours (k)</source>
        <translation>最近邻数量（k）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="275"/>
        <source>k for the k-nearest-neighbours weights of a vector layer.</source>
        <translation>矢量图层 k 最近邻权重中的 k。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="276"/>
        <source>Distance band threshold (layer units)</source>
        <translation>距离带阈值（图层单位）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="277"/>
        <source>Neighbours within this distance (inclusive), in the layer&apos;s units, for distance-band weights.</source>
        <translation>距离带权重中此距离以内（含）的邻域，单位为图层单位。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="278"/>
        <source>Aggregate to blocks of N × N pixels</source>
        <translation>聚合为 N × N 像元块</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="279"/>
        <source>Before the analysis, each block of N × N pixels becomes the mean of its valid pixels (outputs on that coarser grid). 1: no aggregation.</source>
        <translation>分析前，每个 N × N 像元块取其有效像元的均值（输出位于该较粗格网上）。1：不聚合。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="280"/>
        <source>Permutations</source>
        <translation>置换次数</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="281"/>
        <source>Random permutations for the pseudo p-value.</source>
        <translation>用于伪 p 值的随机置换次数。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="282"/>
        <source>Tree table: plot id field</source>
        <translation>乔木表：样地编号字段</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="283"/>
        <source>Field of the tree table with the plot id of each tree.</source>
        <translation>乔木表中存放每株乔木所属样地编号的字段。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="284"/>
        <source>Tree table: species group field</source>
        <translation>乔木表：树种组字段</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="285"/>
        <source>Field of the tree table with the species group of the allometric equation.</source>
        <translation>乔木表中存放异速生长方程树种组的字段。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="286"/>
        <source>Tree table: DBH field (cm)</source>
        <translation>乔木表：胸径字段（cm）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="287"/>
        <source>Diameter at breast height in cm.</source>
        <translation>胸径，单位 cm。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="288"/>
        <source>Tree table: height field (m; needed for D2H equations)</source>
        <translation>乔木表：树高字段（m；D2H 方程需要）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="289"/>
        <source>Tree height in m (for the D²H equations).</source>
        <translation>树高，单位 m（用于 D²H 方程）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="290"/>
        <source>Hurst method</source>
        <translation>Hurst 计算方法</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="291"/>
        <source>R/S slope (the paper's) or the Anis–Lloyd correction of its small-sample bias.</source>
        <translation>R/S 斜率（论文所用方法），或对其小样本偏差的 Anis–Lloyd 校正。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="292"/>
        <source>Inference</source>
        <translation>推断方法</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="293"/>
        <source>How the local Moran&apos;s I is tested: analytical or conditional permutations.</source>
        <translation>局部莫兰指数的检验方式：解析法或条件置换。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="166"/>
        <source>Model kind</source>
        <translation>模型类型</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="167"/>
        <source>Random Forest (the paper&apos;s model), histogram gradient boosting (scikit-learn), XGBoost (needs the xgboost package), or compare all: each is cross-validated on the same folds and the one with the lowest cross-validated RMSE is kept.</source>
        <translation>随机森林（论文的模型）、直方图梯度提升（scikit-learn）、XGBoost（需要 xgboost 包），或全部比较：各模型在相同的折上做交叉验证，保留交叉验证 RMSE 最低者。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="168"/>
        <source>Cross-validation folds</source>
        <translation>交叉验证折</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="169"/>
        <source>How the training points are split into folds: at random (none spatial), by square spatial blocks, or by spatial clusters of the points (k-means on the coordinates). Spatial folds test the model away from its training plots, as a map uses it.</source>
        <translation>训练点如何划分为折：随机划分（非空间）、按正方形空间块，或按点的空间聚类（对坐标做 k-means）。空间折在远离训练样地处检验模型，与地图的使用方式一致。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="170"/>
        <source>Number of cross-validation folds (k)</source>
        <translation>交叉验证折数（k）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="171"/>
        <source>The training points are split into k folds; the model is refitted k times, each time without one fold.</source>
        <translation>训练点被划分为 k 折；模型重新拟合 k 次，每次去掉一折。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="172"/>
        <source>Spatial block size (map units; 0 = automatic)</source>
        <translation>空间块大小（地图单位；0 = 自动）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="173"/>
        <source>Side of the square blocks of spatial block folds, in the units of the factor rasters' CRS (e.g. metres). 0: the larger side of the points' bounding box / (2·⌈√k⌉). It must be smaller than the region of the points.</source>
        <translation>空间块折的正方形块边长，以因子栅格坐标参考系的单位表示（如米）。0：点的外包矩形较长边 / (2·⌈√k⌉)。必须小于点所在的区域。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="174"/>
        <source>Prediction interval level (0 = none)</source>
        <translation>预测区间水平（0 = 无）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="175"/>
        <source>Share of new plots the per-pixel prediction interval should contain, e.g. 0.9; calibrated on the cross-validation. 0: no interval.</source>
        <translation>逐像元预测区间应包含的新样地比例，如 0.9；在交叉验证上校准。0：不计算区间。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="176"/>
        <source>Bootstrap replicates (gradient boosting)</source>
        <translation>自助法重复（梯度提升）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="177"/>
        <source>Gradient boosting only: models refitted on bootstrap samples of the training points, stored in the model file for the confidence intervals of storage totals (0: none). A Random Forest needs none: each of its trees is already grown on a bootstrap sample.</source>
        <translation>仅用于梯度提升：在训练点的自助样本上重新拟合的模型，存入模型文件，用于碳储量合计的置信区间（0：不生成）。随机森林不需要：其每棵树已在一个自助样本上生长。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="178"/>
        <source>Confidence level of the storage intervals</source>
        <translation>碳储量区间的置信水平</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="179"/>
        <source>e.g. 0.9 for 90 % confidence intervals of the storage totals, mean densities and trends.</source>
        <translation>例如 0.9 表示碳储量合计、平均碳密度和趋势的 90 % 置信区间。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="180"/>
        <source>Carbon density, lower bound of the prediction interval (t C/hm², one band per year)</source>
        <translation>碳密度，预测区间下限（t C/hm²，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="181"/>
        <source>The lower bound of the per-pixel prediction interval at the model&apos;s interval level.</source>
        <translation>按模型区间水平计算的逐像元预测区间下限。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="182"/>
        <source>Carbon density, upper bound of the prediction interval (t C/hm², one band per year)</source>
        <translation>碳密度，预测区间上限（t C/hm²，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="183"/>
        <source>The upper bound of the per-pixel prediction interval at the model&apos;s interval level.</source>
        <translation>按模型区间水平计算的逐像元预测区间上限。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="184"/>
        <source>Dissimilarity index (one band per year)</source>
        <translation>相异度指数（每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="185"/>
        <source>Distance of each pixel&apos;s factors to the nearest training point in importance-weighted, standardised factor space, divided by the mean distance between training points (Meyer &amp; Pebesma 2021).</source>
        <translation>在按重要性加权的标准化因子空间中，各像元的因子到最近训练点的距离，除以训练点之间的平均距离（Meyer &amp; Pebesma 2021）。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="186"/>
        <source>Area of applicability (1 inside, 0 outside; one band per year)</source>
        <translation>适用域（1 为域内，0 为域外；每年一个波段）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="187"/>
        <source>1 where the dissimilarity index is at most the threshold learnt from the cross-validation (the model was trained on similar factor values), 0 where the model extrapolates.</source>
        <translation>相异度指数不超过由交叉验证学习到的阈值处为 1（模型在相似的因子值上训练过），模型外推处为 0。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="188"/>
        <source>Ignore given factors the model does not use (e.g. those screening dropped)</source>
        <translation>忽略模型未使用的给定因子（如筛选时剔除的因子）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="189"/>
        <source>Unticked, a factor raster the model does not use stops the run, naming it.</source>
        <translation>不勾选时，模型未使用的因子栅格会使运行中止，并给出其名称。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="250"/>
        <source>Variables: name, files, time step, resampling, scale, offset, valid min/max, min months, nodata</source>
        <translation>变量：名称、文件、时间步长、重采样、缩放系数、偏移量、有效最小值/最大值、最少月数、无数据值</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="251"/>
        <source>One row per variable: its name (the output file&apos;s), file patterns separated by &apos;;&apos; (a netCDF or HDF variable after &apos;:&apos;, e.g. *.nc:pr), time step (yearly, monthly sum, monthly mean, static), resampling, scale, offset, valid min, valid max (stored values), minimum of valid months, nodata. Empty cells are detected; no table: every file&apos;s variables are detected.</source>
        <translation>每个变量一行：名称（输出文件的名称）、以 ';' 分隔的文件名模式（netCDF 或 HDF 变量写在 ':' 之后，如 *.nc:pr）、时间步长（yearly 逐年、monthly sum 逐月求和、monthly mean 逐月均值、static 静态）、重采样、缩放系数、偏移量、有效最小值、有效最大值（存储值）、有效月份的最少数量、无数据值。空单元格自动检测；不给表：自动检测每个文件的变量。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="252"/>
        <source>Years also written as single-band rasters VARIABLE_year.tif (e.g. the survey year)</source>
        <translation>同时写为单波段栅格 VARIABLE_year.tif 的年份（如调查年份）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="253"/>
        <source>Each yearly variable&apos;s band of these years, alone, e.g. 2024 for the factors of the survey year (NPP_2024 is the factor NPP), or 2001,2024. A variable without that year is said in the log.</source>
        <translation>每个逐年变量在这些年份的波段单独写出，例如 2024 用于调查年份的因子（NPP_2024 即因子 NPP），或 2001,2024。缺少该年份的变量会在日志中说明。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="254"/>
        <source>Folder of the aligned stacks (one GeoTIFF per variable)</source>
        <translation>对齐时序栅格的文件夹（每个变量一个 GeoTIFF）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="255"/>
        <source>VARIABLE.tif per variable, one band per year on the grid, and the single-year rasters.</source>
        <translation>每个变量一个 VARIABLE.tif，位于格网上，每年一个波段，以及单年栅格。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="256"/>
        <source>Folder of the aligned stacks (as text)</source>
        <translation>对齐时序栅格的文件夹（文本）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="257"/>
        <source>The folder as text, for expressions in a model: @prepare_STACKS_PATH || &apos;/NPP.tif&apos;.</source>
        <translation>文件夹路径的文本形式，用于模型中的表达式：@prepare_STACKS_PATH || '/NPP.tif'。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="258"/>
        <source>Survey year (the factors of this year train the carbon density model)</source>
        <translation>调查年份（该年的因子用于训练碳密度模型）</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="259"/>
        <source>The year of the field plots: each yearly variable's band of this year (NPP_2024 …) is a factor the model is trained on, and NPP of this year scales the augmented samples.</source>
        <translation>野外样地的年份：每个逐年变量在该年的波段（NPP_2024…）是训练模型的因子，该年的 NPP 用于缩放扩充样本。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="260"/>
        <source>Year of the land use at the start</source>
        <translation>起始土地利用的年份</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="261"/>
        <source>The band of this year of the prepared land use is the land use at the start.</source>
        <translation>所准备的土地利用中该年份的波段即为起始土地利用。</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="262"/>
        <source>Year of the land use at the end</source>
        <translation>终止土地利用的年份</translation>
    </message>
    <message>
        <location filename="../build/i18n/extracted.py" line="263"/>
        <source>The band of this year of the prepared land use is the land use at the end.</source>
        <translation>所准备的土地利用中该年份的波段即为终止土地利用。</translation>
    </message>
</context>
<context>
    <name>alg</name>
    <message>
        <location filename="../algorithms/support/base.py" line="69"/>
        <source>{}: {}: {}</source>
        <translation>{}：{}：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/support/io_guard.py" line="194"/>
        <source>Output folder &apos;{}&apos; ({})</source>
        <translation>输出文件夹“{}”（{}）</translation>
    </message>
    <message>
        <location filename="../algorithms/support/io_guard.py" line="213"/>
        <source>{} would be written into {}, the file that holds {}. Writing there can replace the input. Save the output in another file.</source>
        <translation>{}将写入 {}，该文件存放着{}。写入该处可能替换输入。请将输出保存到其他文件。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/io_guard.py" line="229"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../algorithms/support/io_guard.py" line="220"/>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../algorithms/support/io_guard.py" line="217"/>
        <source>{} is the file {}, which is also {}: the run would destroy its own input. Choose another output file.</source>
        <translation>{}是文件 {}，它同时也是{}：运行将破坏其自身的输入。请选择其他输出文件。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/io_guard.py" line="225"/>
        <source>{} and {} are the same file ({}); give each output its own file.</source>
        <translation>{}和{}是同一个文件（{}）；请为每个输出指定各自的文件。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/io_guard.py" line="225"/>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="92"/>
        <source>Queen contiguity</source>
        <translation>后邻接（Queen）</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="92"/>
        <source>Rook contiguity</source>
        <translation>车邻接（Rook）</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="92"/>
        <source>k nearest neighbours (vector)</source>
        <translation>k 最近邻（矢量）</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="92"/>
        <source>Distance band (vector)</source>
        <translation>距离带（矢量）</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="154"/>
        <source>Give either a raster or a vector layer with a numeric field (exactly one of them).</source>
        <translation>请给出栅格或带数值字段的矢量图层（二者必须且只能给出其一）。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="159"/>
        <source>Rasters use queen or rook contiguity of pixels; choose one of them as weights.</source>
        <translation>栅格使用像元的后邻接或车邻接；请选择其一作为权重。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="162"/>
        <source>Choose the numeric field of the vector layer to analyse.</source>
        <translation>请选择矢量图层中要分析的数值字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="164"/>
        <source>Aggregation applies to rasters only; set it to 1 for a vector layer.</source>
        <translation>聚合仅适用于栅格；矢量图层请设为 1。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="166"/>
        <source>A distance band needs a threshold greater than 0 (in the layer&apos;s units).</source>
        <translation>距离带需要大于 0 的阈值（图层单位）。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="175"/>
        <source>Layer &apos;{}&apos; has {} band(s); band {} does not exist</source>
        <translation>图层“{}”有 {} 个波段；波段 {} 不存在</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="180"/>
        <source>Raster</source>
        <translation>栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="224"/>
        <source>Layer &apos;{}&apos; has no field &apos;{}&apos;</source>
        <translation>图层“{}”没有字段“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="66"/>
        <source>Field &apos;{}&apos; of layer &apos;{}&apos; must be numeric; it is of type &apos;{}&apos;</source>
        <translation>图层“{1}”的字段“{0}”必须为数值型；其类型为“{2}”</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="234"/>
        <source>Layer &apos;{}&apos; must hold polygons or points</source>
        <translation>图层“{}”必须包含多边形或点</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="236"/>
        <source>Layer &apos;{}&apos; holds points: queen and rook contiguity need polygons. Use k nearest neighbours or a distance band.</source>
        <translation>图层“{}”包含点：后邻接和车邻接需要多边形。请使用 k 最近邻或距离带。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="105"/>
        <source>Feature {} of layer &apos;{}&apos; has no geometry</source>
        <translation>图层“{1}”的要素 {0} 没有几何</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="266"/>
        <source>Layer &apos;{}&apos; has no features</source>
        <translation>图层“{}”没有要素</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="268"/>
        <source>Layer &apos;{}&apos; has a geographic CRS: neighbour distances are measured in degrees. Reproject the layer to a projected CRS for distance-based weights.</source>
        <translation>图层“{}”使用地理坐标参考系：邻域距离以度为单位。基于距离的权重请先将图层重投影到投影坐标参考系。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/moran_inputs.py" line="301"/>
        <source>&apos;{}&apos;, field &apos;{}&apos;: {:,} features; {:,} analysed with {}, row-standardised; {:,} isolated (no neighbour with a value); {:,} without a value.</source>
        <translation>“{}”，字段“{}”：{:,} 个要素；{:,} 个以{}参与分析，行标准化；{:,} 个孤立（无有值的邻域）；{:,} 个无值。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="60"/>
        <source>Nodata value of &apos;{}&apos;</source>
        <translation>“{}”的无数据值</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="66"/>
        <source>Replaces the nodata value the raster declares (or gives one to a raster that declares none, e.g. holes stored as -9999). Empty: the raster&apos;s own.</source>
        <translation>替换栅格声明的无数据值（或为未声明无数据值的栅格指定一个，如以 -9999 存储的空洞）。为空：栅格自身的无数据值。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="210"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="241"/>
        <source>Layer '{}' comes from the '{}' provider; save it as a GeoTIFF first (right-click ▸ Export ▸ Save As…).</source>
        <translation>图层“{}”来自“{}”数据提供者；请先将其另存为 GeoTIFF（右键 ▸ 导出 ▸ 另存为…）。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="262"/>
        <source>the advanced parameter {}</source>
        <translation>高级参数 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="335"/>
        <source>{}: no raster layer given</source>
        <translation>{}：未给出栅格图层</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="338"/>
        <source>{}: layer '{}' has {} bands; one single-band raster per factor is needed (the layer name is the factor name). Extract the band you want (Raster ▸ Conversion ▸ Translate with a band selected, or gdal_translate -b N) or give one layer per factor.</source>
        <translation>{}：图层“{}”有 {} 个波段；每个因子需要一个单波段栅格（图层名称即因子名称）。请提取所需的波段（栅格 ▸ 转换 ▸ 转换格式并选择波段，或 gdal_translate -b N），或为每个因子给出一个图层。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="348"/>
        <source>Factor names must be unique; more than one factor layer is named {}. Rename the layers (the name is the factor name).</source>
        <translation>因子名称必须唯一；有多个因子图层名为 {}。请重命名图层（图层名即因子名）。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="357"/>
        <source>Factors to use {} are not among the given factor layers ({})</source>
        <translation>要使用的因子 {} 不在给定的因子图层中（{}）</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="394"/>
        <source>Layer &apos;{}&apos; has no points</source>
        <translation>图层“{}”没有点</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="395"/>
        <source>Sampling {} factor(s) at {:,} points of '{}'…</source>
        <translation>正在图层“{2}”的 {1:,} 个点上采样 {0} 个因子…</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="401"/>
        <source>None of the {:,} points of layer &apos;{}&apos; falls inside the factor rasters (first factor: &apos;{}&apos;). Check that the points and the rasters cover the same area; the points are transformed to the rasters&apos; CRS.</source>
        <translation>图层“{1}”的 {0:,} 个点中没有一个落在因子栅格内（第一个因子：“{2}”）。请检查点和栅格是否覆盖同一区域；点会被转换到栅格的坐标参考系。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="413"/>
        <source>{:,} outside the rasters, {:,} on nodata of a factor, {:,} without a target value, of {:,} points</source>
        <translation>共 {3:,} 个点中：{0:,} 个在栅格外，{1:,} 个位于某因子的无数据处，{2:,} 个无目标值</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="416"/>
        <source>{:,} points used; left out: {}.</source>
        <translation>使用 {:,} 个点；剔除：{}。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="419"/>
        <source>Points on nodata, by factor: {}</source>
        <translation>按因子统计的位于无数据处的点：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="421"/>
        <source>Left out of the {}: {}.</source>
        <translation>未计入{}：{}。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="446"/>
        <source>Output &apos;{}&apos; must be a GeoTIFF (.tif); got {}</source>
        <translation>输出“{}”必须为 GeoTIFF（.tif）；实际为 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="463"/>
        <source>No output requested; choose at least one output file.</source>
        <translation>未请求任何输出；请至少选择一个输出文件。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="503"/>
        <source>{:,} of {:,} pixels had enough valid data and were computed; the others are nodata.</source>
        <translation>{:,} 个像元（共 {:,} 个）有足够的有效数据并已计算；其余为无数据。</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="522"/>
        <source>Class pixels of &apos;{}&apos; (no CRS: areas left out):</source>
        <translation>“{}”各类别的像元数（无坐标参考系：不计面积）：</translation>
    </message>
    <message>
        <location filename="../algorithms/support/raster_engine.py" line="524"/>
        <source>Class areas of &apos;{}&apos; (true area on the ellipsoid):</source>
        <translation>“{}”各类别的面积（椭球上的真实面积）：</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="57"/>
        <source>Layer &apos;{}&apos; has no field &apos;{}&apos;; its fields are: {}</source>
        <translation>图层“{}”没有字段“{}”；其字段为：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="91"/>
        <source>No point layer given</source>
        <translation>未给出点图层</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="109"/>
        <source>Layer &apos;{}&apos; must hold points; feature {} does not</source>
        <translation>图层“{}”必须包含点；要素 {} 不是点</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="161"/>
        <source>Field &apos;{}&apos; of layer &apos;{}&apos;, feature {}: &apos;{}&apos; is not a number</source>
        <translation>图层“{1}”的字段“{0}”，要素 {2}：“{3}”不是数字</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="210"/>
        <source>Could not write row {} to &apos;{}&apos;</source>
        <translation>无法将第 {} 行写入“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="223"/>
        <source>No zone polygon layer given</source>
        <translation>未给出分区多边形图层</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="226"/>
        <source>Zone layer &apos;{}&apos; must hold polygons</source>
        <translation>分区图层“{}”必须包含多边形</translation>
    </message>
    <message>
        <location filename="../algorithms/support/vector_io.py" line="228"/>
        <source>Zone layer &apos;{}&apos; has no field &apos;{}&apos;</source>
        <translation>分区图层“{}”没有字段“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/support/io_guard.py" line="296"/>
        <source>Cannot keep a copy of the existing output &apos;{}&apos; while the run lasts: {}</source>
        <translation>运行期间无法保留现有输出“{}”的副本：{}</translation>
    </message>
</context>
</TS>
