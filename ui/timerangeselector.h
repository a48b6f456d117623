#pragma once

#include <QDateTime>
#include <QWidget>

#include <functional>

class QComboBox;
class QDateTimeEdit;

namespace qc::ui {

/// A time range for the investigation views: the last 15 min … 30 days, or from/to (UTC).
/// "Last …" ranges end at the clock's now when range() is called.
class TimeRangeSelector final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(TimeRangeSelector)
public:
    explicit TimeRangeSelector(QWidget* parent = nullptr);
    ~TimeRangeSelector() override;

    /// The console's clock (Session::now); the system clock by default.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    /// "15m", "1h", "6h", "24h", "7d", "30d" or "custom".
    void setPreset(const QString& preset);
    QString preset() const;
    /// Switches to a custom range [from, to).
    void setRange(const QDateTime& from, const QDateTime& to);
    QDateTime from() const;
    QDateTime to() const;

Q_SIGNALS:
    void rangeChanged();

private:
    QDateTime now() const;

    QComboBox* m_preset;
    QDateTimeEdit* m_from;
    QDateTimeEdit* m_to;
    std::function<QDateTime()> m_clock;
    QDateTime m_customFrom; // exact, also when the editors show minutes
    QDateTime m_customTo;
};

} // namespace qc::ui
