package dev.procpool.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.text.DecimalFormat;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The comparison as one horizontal bar chart: for each workload, procpool and the DESIGN.md target as multiples of
 * Python's Pool (or of primitives.py with fork, for the processes and shared objects rows) measured in the same run
 * (log scale; right of 1 = better than Python, whatever the unit).
 */
final class CompareChart {
    private CompareChart() {
    }

    static void write(List<CompareReport.Row> rows, Results python, Results procpool, Path png) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (CompareReport.Row row : rows) {
            double py = row.python().applyAsDouble(python);
            double pp = row.procpool().applyAsDouble(procpool);
            if (Double.isNaN(py) || Double.isNaN(pp) || py <= 0 || pp <= 0) {
                continue;
            }
            String vs = row.pythonSpawn() == null ? "" : ", vs mp fork";
            String label = row.workload() + " (" + row.unit() + vs + ")";
            data.addValue(row.ratio(py, pp), "procpool", label);
            data.addValue(Double.isNaN(row.target()) ? null : row.ratio(py, row.target()), "target", label);
        }

        LogAxis axis = new LogAxis(
                "times better than Python (Pool, or primitives.py with fork) on this machine (log scale, 1 = same)");
        axis.setBase(2);
        axis.setTickUnit(new NumberTickUnit(1)); // one tick per doubling
        axis.setNumberFormatOverride(new DecimalFormat("0.##'x'"));
        axis.setSmallestValue(0.001);
        BarRenderer renderer = new BarRenderer();
        renderer.setBase(1.0); // bars grow right of 1 when procpool is better, left when worse
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesPaint(1, new Color(0xbbbbbb));
        renderer.setItemMargin(0.05);
        CategoryAxis categories = new CategoryAxis();
        categories.setMaximumCategoryLabelWidthRatio(0.5f);
        categories.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        CategoryPlot plot = new CategoryPlot(data, categories, axis, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        ValueMarker same = new ValueMarker(1.0, Color.BLACK, new BasicStroke(1.5f));
        plot.addRangeMarker(same);

        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle("procpool vs Python multiprocessing (2 workers / 2 children, same machine)",
                new Font(Font.SANS_SERIF, Font.BOLD, 15)));
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 120 + 40 * data.getColumnCount());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
