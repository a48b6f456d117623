#pragma once

#include <QWidget>

class QLabel;
class QTimer;

namespace qc::services {
class Session;
}

namespace qc::ui {

/// The strip above the pages: the environment label in its colour (PROD in red, ...), the
/// profile, the connected account with its role, and the connection state ("connected",
/// "reconnecting in 8 s", "failed").
class HeaderBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(HeaderBar)
public:
    explicit HeaderBar(services::Session* session, QWidget* parent = nullptr);

    /// The texts shown, for tests and screen readers.
    QString environmentText() const;
    QString accountText() const;
    QString connectionText() const;

private:
    void updateAll();
    void updateConnection();

    services::Session* m_session;
    QLabel* m_environment;
    QLabel* m_profile;
    QLabel* m_account;
    QLabel* m_connectionDot;
    QLabel* m_connection;
    QTimer* m_tick;
};

} // namespace qc::ui
