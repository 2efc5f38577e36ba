// ChartSeriesBuffer's decimation against a plain reference: whatever the order
// of calls (frame by frame, across doublings of the run, after the chart grows),
// the answer must be each bucket's first minimum and first maximum in time
// order, for the stable 0.1 s × 2^k buckets, once the buffer has caught up.
#include "ui/live/ChartSeriesBuffer.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using headroom::ui::ChartSeriesBuffer;

namespace {

// The definition, written out the slow way: bucket = floor(x / width).
QList<QPointF> reference(const std::vector<QPointF> &points, double width)
{
    QList<QPointF> out;
    size_t i = 0;
    while (i < points.size()) {
        const auto bucket = qint64(points[i].x() / width);
        size_t lo = i;
        size_t hi = i;
        size_t j = i + 1;
        for (; j < points.size() && qint64(points[j].x() / width) == bucket; ++j) {
            if (points[j].y() < points[lo].y())
                lo = j;
            if (points[j].y() > points[hi].y())
                hi = j;
        }
        if (lo == hi) {
            out << points[lo];
        } else {
            out << points[std::min(lo, hi)] << points[std::max(lo, hi)];
        }
        i = j;
    }
    return out;
}

// The bucket width the live path uses for the whole run up to xMax.
double liveWidth(double xMax, int buckets)
{
    double width = 0.1;
    while (width * buckets < xMax)
        width *= 2;
    return width;
}

double noisy(QRandomGenerator &random, int i)
{
    // Mostly small values with rare spikes and runs of equal values (ties).
    if (random.bounded(500) == 0)
        return 1000 + random.bounded(100);
    if ((i / 50) % 7 == 3)
        return 5;
    return double(random.bounded(20));
}

} // namespace

class TestChartSeriesBuffer : public QObject
{
    Q_OBJECT

private slots:
    void liveDecimationMatchesTheReferenceFrameByFrame()
    {
        // As the Live panel calls it during a run: 10 Hz samples, a call every
        // 2 samples, the run doubling its length many times over.
        QRandomGenerator random(7);
        ChartSeriesBuffer buffer;
        std::vector<QPointF> points;
        double lastWidth = 0;
        int widthChanges = 0;
        for (int i = 0; i < 30000; ++i) {
            const QPointF p(i * 0.1, noisy(random, i));
            buffer.append(p.x(), p.y());
            points.push_back(p);
            if (i % 2)
                continue;
            const double xMax = std::max(10.0, p.x());
            const QList<QPointF> got = buffer.decimated(0, xMax, 300);
            if (points.size() <= 600)
                continue; // few enough to pass through undecimated
            QVERIFY(!buffer.isCatchingUp());
            const double width = liveWidth(xMax, 300);
            QCOMPARE(buffer.cachedBucketWidth(), width);
            const bool changed = width != lastWidth;
            widthChanges += changed;
            lastWidth = width;
            if (changed || i % 1000 == 0) // right after each doubling, and now and then
                QCOMPARE(got, reference(points, width));
        }
        QVERIFY2(widthChanges >= 4, "the run must have doubled several times");
        QCOMPARE(buffer.decimated(0, 2999.9, 300), reference(points, liveWidth(2999.9, 300)));
    }

    void coarserBucketsAreMergedRightAfterADoubling()
    {
        // Called rarely: a doubling (or two) happens between calls, with
        // samples of a half-cached bucket in between.
        QRandomGenerator random(11);
        ChartSeriesBuffer buffer;
        std::vector<QPointF> points;
        for (int i = 0; i < 40000; ++i) {
            const QPointF p(i * 0.1 + (i % 3) * 0.01, noisy(random, i));
            buffer.append(p.x(), p.y());
            points.push_back(p);
            if (i % 1777 == 0 && i > 0) {
                const QList<QPointF> got = buffer.decimated(0, p.x(), 200);
                QCOMPARE(got, reference(points, liveWidth(p.x(), 200)));
            }
        }
    }

    void finerBucketsAreBuiltOverSeveralCalls()
    {
        QRandomGenerator random(3);
        ChartSeriesBuffer buffer;
        std::vector<QPointF> points;
        for (int i = 0; i < 40000; ++i) {
            const QPointF p(i * 0.1, noisy(random, i));
            buffer.append(p.x(), p.y());
            points.push_back(p);
            if (i % 2 == 0 && i > 0)
                buffer.decimated(0, std::max(10.0, p.x()), 100);
        }
        const double xMax = points.back().x();
        const double coarse = liveWidth(xMax, 100);
        QCOMPARE(buffer.decimated(0, xMax, 100), reference(points, coarse));

        // The chart grew eightfold: finer buckets, built a slice per call; until
        // then the coarser (still whole-run) answer is given.
        const double fine = liveWidth(xMax, 800);
        QVERIFY(fine < coarse);
        int calls = 0;
        QList<QPointF> got;
        do {
            got = buffer.decimated(0, xMax, 800);
            ++calls;
            if (buffer.isCatchingUp()) {
                QCOMPARE(got, reference(points, coarse));
                QCOMPARE(buffer.cachedBucketWidth(), coarse);
            }
        } while (buffer.isCatchingUp() && calls < 100);
        QVERIFY(!buffer.isCatchingUp());
        const int expectedCalls = int(points.size() / ChartSeriesBuffer::kRebuildSamplesPerCall);
        QVERIFY2(calls >= expectedCalls && calls <= expectedCalls + 2,
                 qPrintable(QStringLiteral("caught up after %1 calls").arg(calls)));
        QCOMPARE(buffer.cachedBucketWidth(), fine);
        QCOMPARE(got, reference(points, fine));

        // New samples while building are not lost: append during a rebuild.
        got = buffer.decimated(0, xMax, 100); // back to coarse: merged at once
        QVERIFY(!buffer.isCatchingUp());
        QCOMPARE(got, reference(points, coarse));
        buffer.decimated(0, xMax, 800);
        QVERIFY(buffer.isCatchingUp());
        for (int i = 40000; i < 40100; ++i) {
            const QPointF p(i * 0.1, noisy(random, i));
            buffer.append(p.x(), p.y());
            points.push_back(p);
            got = buffer.decimated(0, p.x(), 800);
        }
        QVERIFY(!buffer.isCatchingUp());
        QCOMPARE(got, reference(points, liveWidth(points.back().x(), 800)));
    }

    void aFreshBufferAnswersWholeAtOnce()
    {
        ChartSeriesBuffer buffer;
        std::vector<QPointF> points;
        for (int i = 0; i < 36000; ++i) {
            const QPointF p(i * 0.1, i == 20000 ? 1e6 : double(i % 13));
            buffer.append(p.x(), p.y());
            points.push_back(p);
        }
        const QList<QPointF> got = buffer.decimated(0, 3599.9, 400);
        QVERIFY(!buffer.isCatchingUp());
        QCOMPARE(got, reference(points, liveWidth(3599.9, 400)));
        QVERIFY(got.contains(QPointF(2000, 1e6)));
    }

    void aRangeUsesEqualBucketsAndKeepsSpikes()
    {
        ChartSeriesBuffer buffer;
        for (int i = 0; i < 10000; ++i)
            buffer.append(i * 0.1, i == 7777 ? -50.0 : double(i % 5));
        const QList<QPointF> got = buffer.decimated(500, 900, 100);
        QVERIFY(got.size() <= 200);
        QCOMPARE(got.constFirst().x(), 500.0);
        QVERIFY(got.constLast().x() <= 900.0);
        QVERIFY(got.contains(QPointF(777.7, -50.0)));
        for (qsizetype i = 1; i < got.size(); ++i)
            QVERIFY(got.at(i).x() >= got.at(i - 1).x());
    }

    void badSamplesAreDroppedAndTimeNeverGoesBack()
    {
        ChartSeriesBuffer buffer;
        buffer.append(1, 1);
        buffer.append(std::numeric_limits<double>::quiet_NaN(), 2);
        buffer.append(2, std::numeric_limits<double>::infinity());
        buffer.append(0.5, 3); // earlier than the last: kept at x = 1
        QCOMPARE(buffer.size(), 2);
        QCOMPARE(buffer.decimated(0, 10, 10), QList<QPointF>({QPointF(1, 1), QPointF(1, 3)}));
        QCOMPARE(buffer.maxY(), 3.0);
        buffer.clear();
        QVERIFY(buffer.isEmpty());
        QCOMPARE(buffer.cachedBucketWidth(), 0.0);
    }

    void aConstantLineIsOnePointPerBucket()
    {
        ChartSeriesBuffer buffer;
        for (int i = 0; i < 20000; ++i)
            buffer.append(i * 0.1, 100);
        const QList<QPointF> got = buffer.decimated(0, 1999.9, 250);
        const double width = liveWidth(1999.9, 250);
        QCOMPARE(got.size(), qsizetype(std::floor(1999.9 / width)) + 1);
        QCOMPARE(got.constFirst(), QPointF(0, 100));
    }
};

QTEST_GUILESS_MAIN(TestChartSeriesBuffer)
#include "tst_chart_series_buffer.moc"
