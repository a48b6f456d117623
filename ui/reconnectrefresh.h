#pragma once

#include "services/connectionstate.h"
#include "services/databaseworker.h"
#include "services/session.h"
#include "ui/page.h"

#include <QCoreApplication>

#include <functional>

namespace qc::ui {

/// Calls `refresh` whenever the connection the page reads from (the replica, else the
/// primary) comes up while the page is visible: a page shown before the database answered,
/// or through an outage, fills itself once it can.
inline void refreshWhenConnected(Page* page, std::function<void()> refresh)
{
    services::Session* s = page->session();
    if (!s)
        return;
    const bool replica = s->reader() && s->reader() != s->primary();
    const auto slot = [page, refresh = std::move(refresh)](const services::ConnectionState& st) {
        if (st.isConnected() && page->isVisible())
            refresh();
    };
    if (replica)
        QObject::connect(s, &services::Session::replicaStateChanged, page, slot);
    else
        QObject::connect(s, &services::Session::databaseStateChanged, page, slot);
}

/// "Waiting for the database (…)" for a job that did not run, or the query's error.
inline QString readProblem(bool ran, const QString& notRun, const QString& queryError)
{
    if (!ran)
        return QCoreApplication::translate("qc::ui::Page", "waiting for the database (%1)")
            .arg(notRun);
    return queryError;
}

} // namespace qc::ui
