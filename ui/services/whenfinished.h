#pragma once

#include "services/logging.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace qc::services {

namespace detail {

// Runs `read` (which rethrows the work's exception, if any); logs an exception and says false.
template<typename Read> bool readResult(Read read)
{
    try {
        read();
        return true;
    } catch (const std::exception& e) {
        logger()->error("work off the GUI thread failed: {}", e.what());
    } catch (...) {
        logger()->error("work off the GUI thread failed with an exception of an unknown type");
    }
    return false;
}

} // namespace detail

/// Calls `done(result)` (or `done()` for a QFuture<void>) on `context`'s thread, from its event
/// loop, once `future` has finished; never once `context` is gone. Work that ended in an
/// exception (out of memory on a huge trace) is logged and `done` is not called: it must not
/// take the console down with the user's unsaved edits.
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
            if constexpr (std::is_void_v<T>) {
                if (detail::readResult([watcher] { watcher->waitForFinished(); }))
                    done();
            } else {
                std::optional<T> result;
                if (detail::readResult([&] { result.emplace(watcher->result()); }))
                    done(std::move(*result));
            }
        });
    watcher->setFuture(std::move(future));
}

} // namespace qc::services
