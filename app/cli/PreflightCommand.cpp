// headroom-cli preflight: read a whole import the way a run would, send nothing,
// and report what would happen.
//
// Exit status: 0 the file was read (bad rows, if any, are listed and counted:
// the operator decides whether to run anyway); 3 with --strict when any row is
// bad or an id repeats (those rows would end as dead letters); 2 bad usage or
// a file that cannot be read at all (missing, empty, no id column, ...).
#include "app/cli/CliCommands.h"
#include "app/cli/PreflightCommandLine.h"

#include "core/clock/DurationText.h"
#include "core/run/ChangePreview.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace headroom::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

// A window as a limits file writes it: 1d, 1h, 1m, 10s, 500ms.
QString perText(Duration per)
{
    using namespace std::chrono;
    if (per >= hours(24) && per % hours(24) == Duration::zero())
        return QString::number(duration_cast<hours>(per).count() / 24) + QLatin1Char('d');
    if (per >= hours(1) && per % hours(1) == Duration::zero())
        return QString::number(duration_cast<hours>(per).count()) + QLatin1Char('h');
    if (per >= minutes(1) && per % minutes(1) == Duration::zero())
        return QString::number(duration_cast<minutes>(per).count()) + QLatin1Char('m');
    return DurationText::format(per);
}

// One line per rate scope: name, what it matches, its key, its windows.
QString scopesText(const scopes::ScopeSet &set)
{
    QString text = tr("Rate scopes:\n");
    for (const scopes::ScopeSpec &scope : set.scopes()) {
        QStringList windows;
        for (const scopes::ScopeWindow &w : scope.windows())
            windows << QStringLiteral("%1 per %2").arg(w.limit).arg(perText(w.per));
        text += QStringLiteral("  %1  %2%3  %4\n")
                    .arg(scope.name(), scope.matchText(),
                         scope.keyVariable().isEmpty() ? QString() : tr("  per %1").arg(scope.keyVariable()),
                         windows.isEmpty() ? tr("limit unknown (learned from the server)") : windows.join(QStringLiteral(", ")));
    }
    return text;
}

QByteArray withChanges(const QByteArray &json, const std::optional<run::ChangePreview> &changes)
{
    if (!changes)
        return json;
    QJsonObject o = QJsonDocument::fromJson(json).object();
    o[QStringLiteral("change_mode")] = state::changeModeName(changes->mode);
    o[QStringLiteral("rows_to_send")] = changes->rowsToSend;
    o[QStringLiteral("rows_left_out")] = changes->rowsSkipped;
    return QJsonDocument(o).toJson();
}

int report(const imports::PreflightReport &report, const std::optional<run::ChangePreview> &changes, double elapsed,
           const PreflightCommandLine &commandLine, QTextStream &out, QTextStream &err)
{
    if (commandLine.json()) {
        out << QString::fromUtf8(withChanges(report.toJson(), changes));
    } else {
        // A file that cannot be read is an error, not a report: stderr.
        (report.fatal ? err : out) << report.toText();
        if (changes) {
            const double ratePerS = commandLine.options().rate / commandLine.options().windowSeconds;
            out << tr("%1: %2\n").arg(state::changeModeName(changes->mode), changes->text(ratePerS));
        }
        if (!report.fatal && commandLine.limitsGiven())
            out << scopesText(commandLine.scopes());
        if (!report.fatal && elapsed > 0)
            out << tr("Checked in %1 s (%2 rows/s).\n")
                       .arg(elapsed, 0, 'f', 2)
                       .arg(qint64(double(report.rows) / elapsed));
    }
    out.flush();
    if (report.fatal) {
        if (commandLine.json())
            err << tr("headroom-cli preflight: %1\n").arg(report.fatal->toText());
        return ExitUsage;
    }
    if (commandLine.strict() && (report.badRows > 0 || report.duplicateIds > 0))
        return ExitDeadLetters;
    return ExitOk;
}

} // namespace

int preflightCommand(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    PreflightCommandLine commandLine;
    switch (commandLine.parse(args)) {
    case PreflightCommandLine::Outcome::Help:
        out << commandLine.helpText();
        return ExitOk;
    case PreflightCommandLine::Outcome::Usage:
        err << tr("headroom-cli preflight: %1\n").arg(commandLine.errorText());
        if (commandLine.errorNeedsHelp())
            err << commandLine.helpText();
        return ExitUsage;
    case PreflightCommandLine::Outcome::Check:
        break;
    }

    QElapsedTimer timer;
    timer.start();
    const imports::PreflightReport result = imports::Preflight::run(commandLine.options());
    std::optional<run::ChangePreview> changes;
    if (!result.fatal && commandLine.changeMode() != state::ChangeMode::All) {
        QString error;
        changes = run::ChangePreview::count(commandLine.runSource(), commandLine.storePath(),
                                            commandLine.runSource().destination, commandLine.changeMode(), &error);
        if (!changes) {
            err << tr("headroom-cli preflight: %1\n").arg(error);
            return ExitUsage;
        }
    }
    const double elapsed = double(timer.nsecsElapsed()) / 1e9;
    return report(result, changes, elapsed, commandLine, out, err);
}

} // namespace headroom::cli
