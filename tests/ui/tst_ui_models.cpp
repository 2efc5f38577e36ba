// The console's models and helpers without a window: decimation, the run log
// store, filters, exports, dead letters, run history and saved settings.
#include "ui/ConsoleSettings.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/apis/ScopeTableModel.h"
#include "ui/imports/PreviewModel.h"
#include "ui/live/ChartSeriesBuffer.h"
#include "ui/log/DeadLetterModel.h"
#include "ui/log/RunLogExport.h"
#include "ui/log/RunLogFilter.h"
#include "ui/log/RunLogModel.h"
#include "ui/runs/RunHistoryModel.h"
#include "ui/session/AttemptBuffer.h"
#include "core/scopes/ProfileScopes.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;

namespace {

run::AttemptRecord attempt(qint64 row, int status, const QString &lane = QStringLiteral("track"))
{
    run::AttemptRecord r;
    r.wallMs = 1700000000000 + row;
    r.lane = lane;
    r.operation = QStringLiteral("identify");
    r.method = "PUT";
    r.path = QStringLiteral("/api/v1/customers/cust-%1").arg(row);
    r.firstRow = row;
    r.rowCount = 1;
    r.attempt = 1;
    r.status = status;
    r.latencyMs = 12.5;
    r.remaining = 10;
    r.limit = 100;
    r.decision = status == 200 ? QStringLiteral("done") : QStringLiteral("retry");
    r.reason = status == 200 ? QString() : QStringLiteral("429, say \"wait\", then retry");
    return r;
}

bool writeText(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestUiModels : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
    }

    void decimationKeepsExtremesAndOrder_data()
    {
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("buckets");
        QTest::addColumn<int>("maxPoints");
        QTest::newRow("few samples pass through") << 50 << 100 << 50;
        QTest::newRow("one hour at 10 Hz into 800 buckets") << 36000 << 800 << 1600;
        QTest::newRow("one bucket") << 1000 << 1 << 2;
    }
    void decimationKeepsExtremesAndOrder()
    {
        QFETCH(int, samples);
        QFETCH(int, buckets);
        QFETCH(int, maxPoints);
        ChartSeriesBuffer buffer;
        for (int i = 0; i < samples; ++i)
            buffer.append(i * 0.1, i == samples / 2 ? 1000.0 : double(i % 7)); // one spike
        const QList<QPointF> points = buffer.decimated(0, (samples - 1) * 0.1, buckets);
        QVERIFY(points.size() <= maxPoints);
        QVERIFY(!points.isEmpty());
        bool spike = false;
        for (qsizetype i = 0; i < points.size(); ++i) {
            spike = spike || points.at(i).y() == 1000.0;
            if (i > 0)
                QVERIFY2(points.at(i).x() >= points.at(i - 1).x(), "points must stay in time order");
        }
        QVERIFY2(spike, "a spike must survive decimation");
        QCOMPARE(buffer.maxY(), 1000.0);
    }

    void cachedDecimationMatchesAFreshOne()
    {
        // Frame by frame as the Live panel calls it, then once on a fresh buffer.
        ChartSeriesBuffer live;
        ChartSeriesBuffer fresh;
        QList<QPointF> last;
        for (int i = 0; i < 20000; ++i) {
            const double y = double((i * 37) % 101);
            live.append(i * 0.1, y);
            fresh.append(i * 0.1, y);
            if (i % 97 == 0)
                last = live.decimated(0, std::max(10.0, i * 0.1), 300);
        }
        last = live.decimated(0, 19999 * 0.1, 300);
        QCOMPARE(last, fresh.decimated(0, 19999 * 0.1, 300));
        QVERIFY(last.size() <= 600);
    }

    void runLogStoresAndGivesBackAttempts()
    {
        RunLogModel log;
        QList<run::AttemptRecord> batch;
        for (int i = 1; i <= 40000; ++i) // more than two chunks
            batch.append(attempt(i, i % 10 == 0 ? 429 : 200, i % 2 ? QStringLiteral("a") : QStringLiteral("b")));
        log.append(batch);
        QCOMPARE(log.rowCount(), 40000);
        const run::AttemptRecord back = log.record(39999);
        QCOMPARE(back.firstRow, qint64(40000));
        QCOMPARE(back.status, 429);
        QCOMPARE(back.lane, QStringLiteral("b"));
        QCOMPARE(back.path, QStringLiteral("/api/v1/customers/cust-40000"));
        QCOMPARE(log.data(log.index(0, RunLogModel::Status)).toInt(), 200);
        QCOMPARE(log.lanes(), QStringList({QStringLiteral("a"), QStringLiteral("b")}));
    }

    // The tally the Log panel shows while a run goes: rows done are delivered,
    // dead letters count by their outcome, attempts that came back ambiguous
    // count apart; clearing for the next run starts from zero.
    void attemptBufferTalliesOutcomes()
    {
        AttemptBuffer buffer;
        buffer.rowsDone({1, 2, 3});
        run::AttemptRecord lost = attempt(4, 0);
        lost.outcome = QStringLiteral("ambiguous");
        buffer.attemptFinished(lost);
        buffer.attemptFinished(attempt(5, 200)); // no outcome: counts nothing
        run::FailedRows schema;
        schema.rows = {6, 7};
        schema.outcome = {run::AttemptOutcome::Kind::Rejected, run::AttemptOutcome::RejectClass::Schema};
        buffer.rowsFailed(schema);
        run::FailedRows ambiguous;
        ambiguous.rows = {4};
        ambiguous.outcome = {run::AttemptOutcome::Kind::Ambiguous};
        buffer.rowsFailed(ambiguous);

        run::OutcomeCounts expected;
        expected.delivered = 3;
        expected.rejectedBy[size_t(run::AttemptOutcome::RejectClass::Schema)] = 2;
        expected.ambiguous = 1;
        expected.attemptsAmbiguous = 1;
        QCOMPARE(buffer.outcomes(), expected);
        QCOMPARE(buffer.outcomes().text(), QStringLiteral("3 delivered, 2 rejected (schema 2), 1 ambiguous"));

        RunLogModel log;
        QSignalSpy changed(&log, &RunLogModel::outcomesChanged);
        log.setOutcomes(buffer.outcomes());
        log.setOutcomes(buffer.outcomes()); // the same counts: no signal
        QCOMPARE(changed.size(), 1);
        QCOMPARE(log.outcomes(), expected);
        log.append(buffer.takeAttempts());
        QCOMPARE(log.data(log.index(0, RunLogModel::Outcome)).toString(), QStringLiteral("ambiguous"));
        QCOMPARE(log.record(0).outcome, QStringLiteral("ambiguous")); // exports keep it

        buffer.clear();
        QCOMPARE(buffer.outcomes(), run::OutcomeCounts());
        QVERIFY(buffer.takeAttempts().isEmpty());
        log.clear();
        QCOMPARE(log.outcomes(), run::OutcomeCounts());
    }

    void filterNarrowsByStatusLaneAndRow()
    {
        RunLogModel log;
        QList<run::AttemptRecord> batch;
        for (int i = 1; i <= 100; ++i)
            batch.append(attempt(i, i % 10 == 0 ? 429 : 200, i % 2 ? QStringLiteral("a") : QStringLiteral("b")));
        log.append(batch);
        RunLogFilter filter(&log);
        QCOMPARE(filter.rowCount(), 100);
        filter.setStatusClass(RunLogFilter::StatusClass::Throttled);
        QCOMPARE(filter.rowCount(), 10);
        filter.setStatusClass(RunLogFilter::StatusClass::All);
        filter.setLane(QStringLiteral("a"));
        QCOMPARE(filter.rowCount(), 50);
        filter.setLane(QString());
        filter.setDataRow(42);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.data(filter.index(0, RunLogModel::Rows)).toString(), QStringLiteral("42"));
    }

    void exportsParse()
    {
        QTemporaryDir dir;
        RunLogModel log;
        log.append({attempt(1, 200), attempt(2, 429), attempt(3, 200)});
        RunLogFilter filter(&log);
        filter.setStatusClass(RunLogFilter::StatusClass::Success);
        QString error;
        const QString jsonl = dir.filePath(QStringLiteral("log.jsonl"));
        QVERIFY2(RunLogExport::write(log, &filter, jsonl, RunLogExport::Format::JsonLines, &error), qPrintable(error));
        QFile f(jsonl);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(int(lines.size()), 2); // what the filter shows
        for (const QByteArray &line : lines) {
            QJsonParseError parse;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &parse);
            QVERIFY2(parse.error == QJsonParseError::NoError, line.constData());
            QVERIFY(doc.isObject());
        }
        const QString csv = dir.filePath(QStringLiteral("log.csv"));
        QVERIFY2(RunLogExport::write(log, nullptr, csv, RunLogExport::Format::Csv, &error), qPrintable(error));
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = c.readAll().trimmed().split('\n');
        QCOMPARE(int(rows.size()), 4);
        QVERIFY(rows.at(0).startsWith("wall_ms,lane,"));
        QVERIFY2(rows.at(2).contains("\"429, say \"\"wait\"\", then retry\""), rows.at(2).constData()); // quoted
    }

    void deadLettersListEveryFailedRowOnce()
    {
        DeadLetterModel model;
        run::FailedRows a;
        a.lane = QStringLiteral("track");
        a.rows = {5, 3};
        a.reason = QStringLiteral("400");
        run::FailedRows b = a;
        b.rows = {3, 9};
        model.append({a, b});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.dataRows(), QList<qint64>({3, 5, 9}));
    }

    void historyReadsRunDirectories()
    {
        QTemporaryDir dir;
        QDir root(dir.path());
        QVERIFY(root.mkpath(QStringLiteral("20260101-100000-000")));
        QVERIFY(root.mkpath(QStringLiteral("20260102-100000-000")));
        QVERIFY(root.mkpath(QStringLiteral("20260103-101502-5d6f"))); // as RunDirectory::newId names them
        QVERIFY(root.mkpath(QStringLiteral("not-a-run")));
        QVERIFY(writeText(root.filePath(QStringLiteral("20260101-100000-000/run.json")), R"({"profile":"customerio-track"})"));
        QVERIFY(writeText(root.filePath(QStringLiteral("20260101-100000-000/summary.json")),
                          R"({"ending":"completed","rows_done":7,"rows_total":7})"));
        QVERIFY(writeText(root.filePath(QStringLiteral("20260102-100000-000/run.json")), R"({"profile":"generic"})"));
        QVERIFY(writeText(root.filePath(QStringLiteral("20260103-101502-5d6f/run.json")), R"({"profile":"generic"})"));
        RunHistoryModel history;
        history.setDirectory(dir.path());
        QCOMPARE(history.rowCount(), 3);
        // The start as a time, whatever the directory's suffix.
        QCOMPARE(history.data(history.index(0, RunHistoryModel::Started)).toString(), QStringLiteral("2026-01-03 10:15:02"));
        QCOMPARE(history.data(history.index(1, RunHistoryModel::Profile)).toString(), QStringLiteral("generic")); // newest first
        QVERIFY(history.isInterrupted(1));
        QCOMPARE(history.data(history.index(2, RunHistoryModel::Rows)).toString(), QStringLiteral("7 / 7"));
        // A run this console has under way is running, not interrupted, and not resumed twice.
        history.setActiveDirectories({root.filePath(QStringLiteral("20260103-101502-5d6f"))});
        QCOMPARE(history.data(history.index(0, RunHistoryModel::Ending)).toString(), QStringLiteral("running"));
        QVERIFY(history.isActive(0) && !history.isInterrupted(0));
        QVERIFY(!history.isActive(1));
    }

    void previewShowsTheFirstRows()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.csv"));
        QVERIFY(writeText(path, "id,email\n1,a@example.com\n2,b@example.com\n3,c@example.com\n"));
        PreviewModel preview;
        QString error;
        QVERIFY2(preview.load(path, 2, &error), qPrintable(error));
        QCOMPARE(preview.columns(), QStringList({QStringLiteral("id"), QStringLiteral("email")}));
        QCOMPARE(preview.rowCount(), 2);
        QCOMPARE(preview.data(preview.index(1, 1)).toString(), QStringLiteral("b@example.com"));
        QVERIFY(!preview.load(dir.filePath(QStringLiteral("missing.csv")), 2, &error));
        QVERIFY(!error.isEmpty());
    }

    void settingsPersist()
    {
        QVERIFY(!ConsoleSettings::load().has_value()); // a fresh machine
        ConsoleSettings::Values v;
        v.file = QStringLiteral("/data/x.csv");
        v.currentProfile = QStringLiteral("generic");
        run::RunSettings s;
        s.profile = QStringLiteral("generic");
        s.rate = 7;
        s.window = std::chrono::milliseconds(250);
        s.batch = true;
        v.profiles = {s};
        imports::Mapping m;
        m.idColumn = "customer";
        v.mapping = m;
        ConsoleSettings::save(v);
        const auto back = ConsoleSettings::load();
        QVERIFY(back.has_value());
        QCOMPARE(back->file, v.file);
        QCOMPARE(back->currentProfile, QStringLiteral("generic"));
        QCOMPARE(int(back->profiles.size()), 1);
        QCOMPARE(back->profiles.at(0).rate.value_or(0), 7);
        QVERIFY(back->profiles.at(0).batch);
        QVERIFY(back->mapping.has_value());
        QCOMPARE(back->mapping->idColumn, QByteArray("customer"));
        QVERIFY(ConsoleSettings::fileName().contains(QStringLiteral(".qttest"))); // test mode: never the user's
    }

    void memoryStoreKeepsSecretsInMemory()
    {
        MemoryCredentialStore store;
        QString seen;
        store.write(QStringLiteral("p/K"), QStringLiteral("s3cret"), [](const QString &error) { QVERIFY(error.isEmpty()); });
        store.read(QStringLiteral("p/K"), [&seen](const QString &value, const QString &) { seen = value; });
        QCOMPARE(seen, QStringLiteral("s3cret"));
        store.write(QStringLiteral("p/K"), QString(), {});
        store.read(QStringLiteral("p/K"), [&seen](const QString &value, const QString &) { seen = value; });
        QVERIFY(seen.isEmpty());
    }

    void scopeTableShowsAProfilesScopes_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QStringList>("rows"); // scope | match | key | limit
        QTest::newRow("customerio-app") << "customerio-app"
                                        << QStringList{"main | rest | workspace | 10 per 1s",
                                                       "transactional | POST /v1/send/email | workspace | 100 per 1s",
                                                       "broadcasts | POST /v1/campaigns/{campaign}/triggers | per campaign | 1 per 10s"};
        QTest::newRow("customerio-pipelines") << "customerio-pipelines" << QStringList{"main | * | workspace | 3000 per 3s"};
        QTest::newRow("generic") << "generic" << QStringList{"main | rest | workspace | learned from the server"};
    }

    void scopeTableShowsAProfilesScopes()
    {
        QFETCH(QString, profile);
        QFETCH(QStringList, rows);
        ui::ScopeTableModel model;
        model.setScopes(scopes::ProfileScopes::forProfile(profile));
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(model.headerData(ui::ScopeTableModel::Windows, Qt::Horizontal).toString(), QStringLiteral("Limit"));
        QStringList got;
        for (int row = 0; row < model.rowCount(); ++row) {
            QStringList cells;
            for (int column = 0; column < model.columnCount(); ++column)
                cells << model.index(row, column).data().toString();
            got << cells.join(QStringLiteral(" | "));
        }
        QCOMPARE(got, rows);
    }

    void scopeTableEditsAScopesLimit()
    {
        MemoryCredentialStore credentials;
        ApiSettingsPanel panel(&credentials);
        run::RunSettings s = ApiSettingsPanel::defaultsFor(QStringLiteral("customerio-app"));
        panel.setSettings(s);
        ScopeTableModel *model = panel.scopeModel();
        QCOMPARE(model->rowCount(), 3);
        QSignalSpy changed(&panel, &ApiSettingsPanel::settingsChanged);
        QSignalSpy refused(model, &ScopeTableModel::editRefused);
        // main's limit is the rate's: not editable here.
        QVERIFY(!(model->flags(model->index(0, ScopeTableModel::Windows)) & Qt::ItemIsEditable));
        const QModelIndex broadcasts = model->index(2, ScopeTableModel::Windows);
        QCOMPARE(broadcasts.data(Qt::EditRole).toString(), QStringLiteral("1 per 10s"));
        QVERIFY(!model->setData(broadcasts, QStringLiteral("fast")));
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused.first().first().toString().contains(QLatin1String("'fast' is not")));
        QVERIFY(changed.isEmpty());
        QVERIFY(model->setData(broadcasts, QStringLiteral("1 per 30s")));
        QCOMPARE(broadcasts.data().toString(), QStringLiteral("1 per 30s"));
        QCOMPARE(changed.size(), 1);
        // The run takes it as a limits file's override of that scope.
        const QList<scopes::ScopeLimitOverride> limits = panel.settings().scopeLimits;
        QCOMPARE(limits.size(), 1);
        QCOMPARE(limits.first().scope, QStringLiteral("broadcasts"));
        QCOMPARE(limits.first().windows, (QList<scopes::ScopeWindow>{{1, std::chrono::seconds(30)}}));
        // And the table keeps showing it after another profile and back.
        run::RunSettings track = ApiSettingsPanel::defaultsFor(QStringLiteral("customerio-track"));
        panel.setSettings(track);
        QCOMPARE(model->rowCount(), 1);
        for (const run::RunSettings &saved : panel.allProfiles()) {
            if (saved.profile == QLatin1String("customerio-app"))
                panel.setSettings(saved);
        }
        QCOMPARE(model->index(2, ScopeTableModel::Windows).data().toString(), QStringLiteral("1 per 30s"));
    }
};

QTEST_MAIN(TestUiModels)
#include "tst_ui_models.moc"
