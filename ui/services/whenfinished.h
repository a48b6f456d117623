#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <type_traits>
#include <utility>

namespace qc::services {

/// Calls `done(result)` (or `done()` for a QFuture<void>) on `context`'s thread, from its event
/// loop, once `future` has finished; never once `context` is gone.
///
/// Always later, never inside this call. QFuture::then(context, …) runs its continuation at once
/// when it is attached to a future that has already finished (quick work on a busy machine), so
/// a signal it emits could arrive before the caller had stored the request id it matches the
/// answer with, or before a caller started waiting for it.
template<typename T, typename F> void whenFinished(QObject* context, QFuture<T> future, F done)
{
    auto* watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
        [watcher, done = std::move(done)]() mutable {
            watcher->deleteLater();
            if constexpr (std::is_void_v<T>)
                done();
            else
                done(watcher->result());
        });
    watcher->setFuture(std::move(future));
}

} // namespace qc::services
