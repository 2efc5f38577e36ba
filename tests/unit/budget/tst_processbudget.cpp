#include "core/budget/ProcessBudgetLimiter.h"
#include "core/budget/ProcessBudgets.h"
#include "core/clock/FakeClock.h"

#include <QRandomGenerator>
#include <QTest>

#include <deque>

using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using headroom::budget::ProcessBudget;
using headroom::budget::ProcessBudgetLimiter;
using headroom::budget::ProcessBudgets;
using namespace std::chrono_literals;

class TestProcessBudget : public QObject
{
    Q_OBJECT
private slots:
    // Two lanes (two runs' dispatchers) sending into one scope as fast as the
    // budget lets each: together they never put more than the limit into any
    // window, and between them they use all of it.
    void twoHoldersTogetherStayWithinTheLimit_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("windowMs");
        QTest::newRow("10 per 1 s") << 10 << 1000;
        QTest::newRow("3 per 200 ms") << 3 << 200;
        QTest::newRow("1 per 100 ms") << 1 << 100;
    }
    void twoHoldersTogetherStayWithinTheLimit()
    {
        QFETCH(int, limit);
        QFETCH(int, windowMs);
        const Duration window = std::chrono::milliseconds(windowMs);
        FakeClock clock;
        auto budget = std::make_shared<ProcessBudget>(QStringLiteral("k"), limit, window, 0ms);
        ProcessBudgetLimiter a(budget), b(budget);
        std::deque<TimePoint> sent;
        QRandomGenerator random(7);
        const TimePoint end = clock.now() + window * 20;
        while (clock.now() < end) {
            // Each asks at its own moments; either may find the slot first.
            ProcessBudgetLimiter &first = random.bounded(2) ? a : b;
            ProcessBudgetLimiter &second = &first == &a ? b : a;
            for (ProcessBudgetLimiter *holder : {&first, &second}) {
                if (holder->earliestSend(clock.now()) == clock.now()) {
                    holder->onSend(clock.now());
                    sent.push_back(clock.now());
                }
            }
            clock.advance(std::chrono::milliseconds(1 + random.bounded(3)));
        }
        int most = 0;
        for (size_t i = 0; i < sent.size(); ++i) {
            int inWindow = 0;
            for (size_t j = i; j < sent.size() && sent[j] < sent[i] + window; ++j)
                ++inWindow;
            most = std::max(most, inWindow);
        }
        QCOMPARE(most, limit);
        QVERIFY2(qsizetype(sent.size()) >= qsizetype(limit) * 19, qPrintable(QString::number(sent.size())));
    }

    // Between one holder's "now" and its send, the other finds the slot taken;
    // a claim its lane never used frees after kClaimFor.
    void aClaimHoldsTheSlotUntilSentOrExpired()
    {
        FakeClock clock;
        auto budget = std::make_shared<ProcessBudget>(QStringLiteral("k"), 1, 1s, 0ms);
        QCOMPARE(budget->margin(), Duration(20ms)); // a fiftieth of the window at least
        ProcessBudgetLimiter a(budget), b(budget);
        const TimePoint t0 = clock.now();
        QCOMPARE(a.earliestSend(t0), t0);
        QCOMPARE(b.earliestSend(t0), t0 + ProcessBudget::kClaimFor);
        a.onSend(t0);
        QCOMPARE(b.earliestSend(t0), t0 + 1020ms);
        QCOMPARE(budget->sentInWindow(t0), 1);

        clock.advance(1020ms);
        const TimePoint t1 = clock.now();
        QCOMPARE(b.earliestSend(t1), t1); // b claims, never sends
        QCOMPARE(a.earliestSend(t1), t1 + ProcessBudget::kClaimFor);
        QCOMPARE(a.earliestSend(t1 + ProcessBudget::kClaimFor), t1 + ProcessBudget::kClaimFor);
    }

    // A send seen leaving later counts from then, as the server counts it.
    void aLateWireTimeMovesTheSend()
    {
        FakeClock clock;
        auto budget = std::make_shared<ProcessBudget>(QStringLiteral("k"), 1, 1s, 0ms);
        ProcessBudgetLimiter a(budget);
        const TimePoint t0 = clock.now();
        a.onSend(t0);
        a.onWire(t0, t0 + 300ms);
        QCOMPARE(a.earliestSend(t0 + 1s), t0 + 1320ms);
    }

    // A 429 met a window the budget thought had room: the margin grows, to a
    // tenth of the window at most.
    void aThrottleWidensTheMargin()
    {
        FakeClock clock;
        auto budget = std::make_shared<ProcessBudget>(QStringLiteral("k"), 1, 1s, 5ms);
        ProcessBudgetLimiter a(budget);
        const TimePoint t0 = clock.now();
        a.onSend(t0);
        headroom::rate::ResponseObservation throttled;
        throttled.status = 429;
        a.onResponse(t0 + 10ms, throttled);
        QCOMPARE(budget->margin(), Duration(40ms));
        QCOMPARE(a.earliestSend(t0 + 10ms), t0 + 1040ms);
        for (int i = 0; i < 10; ++i)
            a.onResponse(t0 + 10ms, throttled);
        QCOMPARE(budget->margin(), Duration(100ms));
    }

    // One budget per scope key; the lowest limit of its runs holds; it goes
    // with its last holder.
    void registryKeepsOneBudgetPerKey()
    {
        ProcessBudgets budgets;
        auto track = budgets.acquire(QStringLiteral("customerio-track|127.0.0.1|site|main"), 100, 1s, 5ms);
        auto same = budgets.acquire(QStringLiteral("customerio-track|127.0.0.1|site|main"), 40, 1s, 5ms);
        auto segment = budgets.acquire(QStringLiteral("segment-tracking|127.0.0.1|key|main"), 100, 1s, 5ms);
        QCOMPARE(track.get(), same.get());
        QVERIFY(track.get() != segment.get());
        QCOMPARE(track->limit(), 40);
        QCOMPARE(segment->limit(), 100);
        QCOMPARE(budgets.liveCount(), 2);
        segment.reset();
        QCOMPARE(budgets.liveCount(), 1);
    }
};

QTEST_APPLESS_MAIN(TestProcessBudget)
#include "tst_processbudget.moc"
