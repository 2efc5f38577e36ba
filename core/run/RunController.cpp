#include "core/run/RunController.h"

namespace headroom::run {

RunController::RunController(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("headroom-engine"));
}

RunController::~RunController()
{
    if (m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &Dispatcher::cancel, Qt::BlockingQueuedConnection);
    stopThread();
}

void RunController::stopThread()
{
    if (!m_thread.isRunning())
        return;
    if (m_dispatcher)
        m_dispatcher->deleteLater(); // runs on the engine thread before it quits
    m_thread.quit();
    m_thread.wait();
    m_dispatcher = nullptr;
}

void RunController::start(std::unique_ptr<imports::CallSource> source, QList<LaneConfig> lanes, const Clock &clock,
                          QList<RunObserver *> observers)
{
    stopThread();
    auto *dispatcher = new Dispatcher(std::move(source), std::move(lanes), clock);
    dispatcher->setGiveUpAfter(m_giveUpAfter);
    for (RunObserver *o : std::as_const(observers))
        dispatcher->addObserver(o);
    dispatcher->moveToThread(&m_thread);
    m_dispatcher = dispatcher;
    m_state = Dispatcher::State::Idle;
    m_progress = {};
    m_snapshots.clear();
    connect(dispatcher, &Dispatcher::sampled, this, [this](const QList<metrics::LaneSnapshot> &lanes) {
        m_snapshots = lanes;
        emit sampled(lanes);
    });
    connect(dispatcher, &Dispatcher::progressed, this, [this](const RunProgress &progress) {
        m_progress = progress;
        emit progressed(progress);
    });
    connect(dispatcher, &Dispatcher::stateChanged, this, [this](Dispatcher::State state) {
        m_state = state;
        emit stateChanged(state);
    });
    connect(dispatcher, &Dispatcher::finished, this, [this](const RunSummary &summary) {
        m_state = Dispatcher::State::Finished;
        stopThread();
        emit finished(m_finisher ? m_finisher(summary) : summary);
    });
    m_thread.start();
    QMetaObject::invokeMethod(dispatcher, &Dispatcher::start, Qt::QueuedConnection);
}

void RunController::pause()
{
    if (m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &Dispatcher::pause, Qt::QueuedConnection);
}

void RunController::resume()
{
    if (m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &Dispatcher::resume, Qt::QueuedConnection);
}

void RunController::drain()
{
    if (m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &Dispatcher::drain, Qt::QueuedConnection);
}

void RunController::cancel()
{
    if (m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &Dispatcher::cancel, Qt::QueuedConnection);
}

void RunController::setLaneLimit(int lane, int limit, qint64 windowMs)
{
    if (m_dispatcher) {
        QMetaObject::invokeMethod(
            m_dispatcher, [d = m_dispatcher, lane, limit, windowMs] {
                if (d)
                    d->setLaneLimit(lane, limit, windowMs);
            },
            Qt::QueuedConnection);
    }
}

void RunController::setLaneConcurrency(int lane, int concurrency)
{
    if (m_dispatcher) {
        QMetaObject::invokeMethod(
            m_dispatcher, [d = m_dispatcher, lane, concurrency] {
                if (d)
                    d->setLaneConcurrency(lane, concurrency);
            },
            Qt::QueuedConnection);
    }
}

} // namespace headroom::run
