#pragma once

#include "core/imports/CallSource.h"
#include "core/run/LaneConfig.h"
#include "core/run/RunSettings.h"

#include <QProcessEnvironment>

#include <memory>
#include <optional>

namespace headroom::run {

// Turns what the operator chose (RunSettings) and the environment (secrets)
// into what the engine runs: the lanes and how to open the file. Shared by the
// CLI and the console so both start a run the same way.
struct RunPlan
{
    RunSettings settings;
    QList<LaneConfig> lanes;
    imports::CallSourceOptions sourceOptions;

    // `skip`, `filter` and `skipped` as CallSourceOptions has them.
    std::unique_ptr<imports::CallSource>
    makeSource(std::function<bool(qint64)> skip = {},
               std::function<bool(const imports::MappedRow &, qint64)> filter = {},
               std::function<void(const imports::MappedRow &, qint64)> skipped = {}) const;
    // Every secret the run holds, for redactors.
    QList<QByteArray> secrets() const;
    // Requests per second at the main lane's limit, what a change mode's
    // skipped rows are worth in time; 0 when unknown or batched (rows are
    // not requests then).
    double mainRatePerS() const;

    // sandboxPort: the embedded sandbox's port when settings.sandbox is set.
    static std::optional<RunPlan> build(const RunSettings &settings, const QProcessEnvironment &env,
                                        std::optional<quint16> sandboxPort, QString *error);
    // Requests in flight that carry `ratePerS` when responses take up to ~0.6 s.
    static int automaticConcurrency(std::optional<double> ratePerS);
};

} // namespace headroom::run
