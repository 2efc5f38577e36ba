// headroom-cli state: what each destination's store says it accepted, and
// forgetting it.
//
// Exit status: 0 done; 2 bad usage, an unknown destination, or a store that
// cannot be read (named with its file).
#include "app/cli/CliCommands.h"

#include "core/state/StateDirectory.h"
#include "core/state/StateLocation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QProcessEnvironment>
#include <QTextStream>

namespace headroom::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

QString timeText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : tr("never");
}

void printListing(const state::StateDirectory::Listing &listing, QTextStream &out)
{
    out << QStringLiteral("%1  %2  %3 rows, last accepted %4\n")
               .arg(listing.id, state::StateLocation::describe(listing.summary->destination))
               .arg(listing.summary->rows)
               .arg(timeText(listing.summary->lastAcceptedMs));
}

int list(const state::StateDirectory &dir, QTextStream &out, QTextStream &err)
{
    int status = ExitOk;
    const QList<state::StateDirectory::Listing> listings = dir.list();
    for (const state::StateDirectory::Listing &listing : listings) {
        if (listing.summary) {
            printListing(listing, out);
        } else {
            err << tr("headroom-cli state: %1\n").arg(listing.error);
            status = ExitUsage;
        }
    }
    if (listings.isEmpty())
        out << tr("no state stores in %1\n").arg(dir.path());
    return status;
}

int show(const state::StateDirectory::Listing &listing, const QString &id, int limit, QTextStream &out)
{
    printListing(listing, out);
    out << tr("file: %1\nschema: %2\nfirst accepted: %3\n")
               .arg(listing.path)
               .arg(listing.summary->schemaVersion)
               .arg(timeText(listing.summary->firstAcceptedMs));
    state::AcceptedStore store(listing.path);
    QString error;
    if (!store.open({}, state::AcceptedStore::OpenMode::Existing, &error))
        return ExitUsage;
    for (const state::AcceptedStore::Entry &entry : store.recent(limit, id.toUtf8(), &error))
        out << QStringLiteral("  %1  %2  %3\n")
                   .arg(timeText(entry.acceptedAtMs), QString::fromLatin1(entry.fingerprint.toHex()),
                        QString::fromUtf8(entry.label));
    return ExitOk;
}

} // namespace

int stateCommand(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Inspect or clear what each destination accepted (the store --changed-only, --only-new and "
           "--only-existing read).\n"
           "  list                      every store: id, destination, rows, last acceptance\n"
           "  show   --destination D    one store and its latest acceptances (--limit N, --id PERSON)\n"
           "  forget --destination D    delete the store: the next --changed-only run sends every row\n"
           "D is a store's id or its destination as list prints it."));
    const QCommandLineOption destination(QStringLiteral("destination"), tr("Store id or destination."),
                                         QStringLiteral("D"));
    const QCommandLineOption stateDir(QStringLiteral("state-dir"), tr("Directory of the stores."),
                                      QStringLiteral("DIR"));
    const QCommandLineOption limit(QStringLiteral("limit"), tr("Acceptances shown (default 20)."), QStringLiteral("N"),
                                   QStringLiteral("20"));
    const QCommandLineOption id(QStringLiteral("id"), tr("Show only this person or resource."), QStringLiteral("ID"));
    parser.addOptions({destination, stateDir, limit, id});
    parser.addPositionalArgument(QStringLiteral("action"), tr("list, show or forget"));
    parser.addHelpOption();
    if (!parser.parse(QStringList{QStringLiteral("headroom-cli state")} + args)) {
        err << tr("headroom-cli state: %1\n").arg(parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return ExitOk;
    }
    const QStringList actions = parser.positionalArguments();
    const QString action = actions.value(0);
    if (actions.size() != 1 || (action != QLatin1String("list") && action != QLatin1String("show") && action != QLatin1String("forget"))) {
        err << tr("headroom-cli state: expected one of list, show, forget\n");
        return ExitUsage;
    }
    const state::StateDirectory dir(
        state::StateLocation::directory(parser.value(stateDir), QProcessEnvironment::systemEnvironment()));
    if (action == QLatin1String("list"))
        return list(dir, out, err);
    if (!parser.isSet(destination)) {
        err << tr("headroom-cli state %1: --destination is required\n").arg(action);
        return ExitUsage;
    }
    bool ok = false;
    const int shown = parser.value(limit).toInt(&ok);
    if (!ok || shown < 0) {
        err << tr("headroom-cli state: --limit: expected a whole number >= 0\n");
        return ExitUsage;
    }
    QString error;
    const std::optional<state::StateDirectory::Listing> found = dir.find(parser.value(destination), &error);
    if (!found) {
        err << tr("headroom-cli state: %1\n").arg(error);
        return ExitUsage;
    }
    if (action == QLatin1String("show"))
        return show(*found, parser.value(id), shown, out);
    if (!state::AcceptedStore::remove(found->path, &error)) {
        err << tr("headroom-cli state: %1\n").arg(error);
        return ExitUsage;
    }
    out << tr("forgot %1 (%2 rows): the next --changed-only run sends every row\n")
               .arg(state::StateLocation::describe(found->summary->destination))
               .arg(found->summary->rows);
    return ExitOk;
}

} // namespace headroom::cli
