#include "core/imports/Preflight.h"

#include "core/imports/DuplicateFinder.h"

namespace headroom::imports {

PreflightReport Preflight::run(const PreflightOptions &options)
{
    PreflightReport report;
    report.file = options.source.filePath;
    report.profile = options.source.profile;
    report.rate = options.rate;
    report.windowSeconds = options.windowSeconds;

    CallSourceOptions sourceOptions = options.source;
    sourceOptions.batching = true;
    CallSource source(sourceOptions);

    DuplicateFinder firstRow;
    qint64 perOperation[int(Operation::Request) + 1] = {};
    source.setRowObserver([&](const MappedRow &row, qint64 rowNumber, qint64 line) {
        ++report.goodRows;
        ++perOperation[int(row.operation)];
        const QByteArrayView key = row.duplicateKey();
        if (key.isEmpty())
            return;
        const qint64 first = firstRow.firstRowOf(key, rowNumber);
        if (first == 0)
            return;
        ++report.duplicateIds;
        if (report.duplicates.size() < options.maxListed)
            report.duplicates.append(DuplicateId{key.toByteArray(), rowNumber, line, first});
    });

    if (!source.open()) {
        report.fatal = source.fatalError();
        return report;
    }
    const bool batching = source.batching();
    if (batching)
        report.batchEndpoint = source.batcher()->dialect() == Batcher::Dialect::CustomerIo
                                   ? QStringLiteral("/api/v2/batch")
                                   : QStringLiteral("/v1/batch");

    const auto collect = [&] {
        for (RowProblem &p : source.takeProblems()) {
            if (report.problems.size() < options.maxListed)
                report.problems.append(std::move(p));
        }
    };
    while (auto call = source.next()) {
        ++report.requestsBatched;
        if (report.problems.size() < options.maxListed)
            collect();
        else
            source.takeProblems();
    }
    collect();
    if (source.hasFatalError())
        report.fatal = source.fatalError();
    report.rows = source.rowsRead();
    report.badRows = source.badRows();
    report.rejectedRows = source.rejectedRows();
    report.fileBytes = source.fileSize();
    for (int op = 0; op <= int(Operation::Request); ++op) {
        if (perOperation[op] > 0)
            report.operations.insert(Mapping::operationName(Operation(op)), perOperation[op]);
    }
    report.requestsUnbatched = report.goodRows;
    if (!batching)
        report.requestsBatched = report.goodRows;
    return report;
}

} // namespace headroom::imports
