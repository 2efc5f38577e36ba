#include "core/run/ChangePreview.h"

#include "core/state/AcceptedStore.h"
#include "core/state/PayloadFingerprint.h"

#include <QCoreApplication>
#include <QFile>
#include <QLocale>

#include <cmath>

namespace headroom::run {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ChangePreview", text);
}

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

// What the skipped rows are, in the mode's words.
QString skippedWord(state::ChangeMode mode)
{
    switch (mode) {
    case state::ChangeMode::OnlyNew:
        return tr("already known");
    case state::ChangeMode::OnlyExisting:
        return tr("new");
    default:
        return tr("unchanged");
    }
}

// "100", "20,000", "0.5": a whole rate without decimals.
QString rateText(double perS)
{
    if (perS == std::floor(perS))
        return number(qint64(perS));
    return QLocale(QLocale::English).toString(perS, 'f', 1);
}

} // namespace

std::optional<ChangePreview> ChangePreview::count(imports::CallSourceOptions source, const QString &storePath,
                                                  const QByteArray &destination, state::ChangeMode mode,
                                                  QString *error, Keep keep)
{
    ChangePreview preview;
    preview.mode = mode;
    state::AcceptedStore store(storePath);
    if (QFile::exists(storePath)) {
        if (!store.open(destination, state::AcceptedStore::OpenMode::Existing, error))
            return std::nullopt;
        if (const auto summary = store.summary(error))
            preview.storedRows = summary->rows;
    }
    QString lookupError;
    source.filter = [&](const imports::MappedRow &row, qint64 rowNumber) {
        std::optional<QByteArray> stored;
        const QByteArray fingerprint = state::PayloadFingerprint::fingerprintOf(row);
        if (store.isOpen() && mode != state::ChangeMode::All)
            stored = store.lookup(state::PayloadFingerprint::identityOf(row), &lookupError);
        const state::SendDecision::Verdict verdict = state::SendDecision::decide(mode, stored, fingerprint);
        ++preview.reasons[size_t(verdict.reason)];
        ++(verdict.send ? preview.rowsToSend : preview.rowsSkipped);
        if (keep == Keep::Decisions)
            preview.decisions.record(rowNumber, verdict.send);
        return true; // counted: nothing needs to be built
    };
    imports::CallSource calls(std::move(source));
    if (!calls.open()) {
        *error = calls.fatalError().toText();
        return std::nullopt;
    }
    while (calls.next()) {
    }
    calls.takeProblems();
    if (!lookupError.isEmpty()) {
        *error = lookupError;
        return std::nullopt;
    }
    return preview;
}

QString ChangePreview::durationText(double seconds)
{
    const qint64 s = qint64(std::llround(std::max(0.0, seconds)));
    if (s >= 3600)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    if (s >= 60)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 s").arg(s);
}

QString ChangePreview::text(double ratePerS) const
{
    QString out = tr("%1 %2 rows skipped").arg(number(rowsSkipped), skippedWord(mode));
    if (ratePerS > 0 && rowsSkipped > 0)
        out += tr(": %1 at %2/s").arg(durationText(double(rowsSkipped) / ratePerS), rateText(ratePerS));
    return out + tr("; %1 rows to send").arg(number(rowsToSend));
}

} // namespace headroom::run
