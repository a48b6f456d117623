#pragma once

#include <QWidget>

class QTimer;
class QVBoxLayout;

namespace qc::services {
class NoticeBoard;
}

namespace qc::ui {

/// Shows the notices of a NoticeBoard above the pages, one row each: "Database unreachable:
/// … since 14:05 — retrying in 8 s [Retry now]". Hidden when there is nothing to say.
class BannerArea final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(BannerArea)
public:
    explicit BannerArea(services::NoticeBoard* notices, QWidget* parent = nullptr);

    /// The rows' texts as shown (for tests).
    QStringList texts() const;

private:
    void rebuild();
    void refreshTexts();

    services::NoticeBoard* m_notices;
    QVBoxLayout* m_layout;
    QTimer* m_tick;
};

} // namespace qc::ui
