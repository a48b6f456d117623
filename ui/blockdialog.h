#pragma once

#include <QDateTime>
#include <QDialog>
#include <QList>
#include <QString>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace qc::ui {

/// One identifier to block: target ip (one address), network (CIDR) or user.
struct BlockTarget {
    QString target;
    QString value;
    bool operator==(const BlockTarget&) const = default;
};

/// What the block dialog asks for.
struct BlockRequest {
    QList<BlockTarget> targets;
    QString reason;
    QDateTime until; // null = permanent
};

/// Block one identifier (typed in, or given) or several selected ones: target, reason and
/// how long (an hour, a day, a week, a month, permanent, or until a time). The form checks
/// addresses and networks before anything is sent; the database checks them again.
class BlockDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(BlockDialog)
public:
    /// `targets` empty: the operator types one. `now` is the console's clock.
    BlockDialog(const QList<BlockTarget>& targets, const QDateTime& now, QWidget* parent = nullptr);
    ~BlockDialog() override;

    /// The target that `value` most likely is: ip, network or user.
    static QString guessTarget(const QString& value);
    /// Empty when `t` can be sent; else what is wrong.
    static QString validateTarget(const BlockTarget& t);

    BlockRequest request() const;
    /// Empty when the form is complete; else what is missing (also shown in the form).
    QString problem() const;

    // For tests and callers that fill the form.
    void setValue(const QString& value);
    void setTargetKind(const QString& target);
    void setReason(const QString& reason);
    /// "1h", "24h", "7d", "30d", "permanent" or "until".
    void setDuration(const QString& choice);
    void setUntil(const QDateTime& until);

    void accept() override;

private:
    void updateState();

    QList<BlockTarget> m_given;
    QDateTime m_now;
    QComboBox* m_kind = nullptr;
    QLineEdit* m_value = nullptr;
    QPlainTextEdit* m_reason;
    QComboBox* m_duration;
    QDateTimeEdit* m_until;
    QLabel* m_problem;
    QLabel* m_summary;
};

} // namespace qc::ui
