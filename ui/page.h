#pragma once

#include "services/investigationtarget.h"

#include <QWidget>

namespace qc::services {
class Session;
class SettingsStore;
} // namespace qc::services

namespace qc::ui {

/// What every page gets from the main window: the session (database workers, network,
/// metrics, role, notices) and the settings. Pages keep no other global state.
struct PageContext {
    services::Session* session = nullptr;
    services::SettingsStore* settings = nullptr;
};

/// Base class of the pages the navigation switches between (Dashboard, Investigate, ...).
/// A page reads through context().session (never opening connections of its own), refreshes
/// only while active, and starts an investigation by emitting investigateRequested().
/// See docs/console-architecture.md.
class Page : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(Page)
public:
    explicit Page(const PageContext& context, QWidget* parent = nullptr);
    ~Page() override;

    const PageContext& context() const { return m_context; }
    services::Session* session() const { return m_context.session; }

    /// The page became the visible one / stopped being it (e.g. start or pause refreshing).
    virtual void activated() { }
    virtual void deactivated() { }
    /// Shows `target`; called by the main window on the page registered with
    /// `investigates = true` when another page emits investigateRequested().
    virtual void investigate(const services::InvestigationTarget& target) { Q_UNUSED(target) }

Q_SIGNALS:
    void investigateRequested(const qc::services::InvestigationTarget& target);
    /// A short message for the status bar.
    void statusMessage(const QString& text);

private:
    PageContext m_context;
};

} // namespace qc::ui
