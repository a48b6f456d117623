#pragma once

#include <QDateTime>
#include <QDialog>
#include <QString>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPlainTextEdit;

namespace qc::ui {

/// Acknowledge an alert: a note for the team and how long — until the alert resolves, or
/// until a chosen time. With an Alertmanager in the profile the acknowledgement is also a
/// silence there, carrying the note.
class AcknowledgeDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(AcknowledgeDialog)
public:
    AcknowledgeDialog(const QString& alertText, bool alertmanager, const QDateTime& now,
        QWidget* parent = nullptr);
    ~AcknowledgeDialog() override;

    QString note() const;
    /// Null: until the alert resolves.
    QDateTime until() const;

    void setNote(const QString& note);
    /// "resolved", "1h", "4h", "24h" or "until".
    void setDuration(const QString& choice);
    void setUntil(const QDateTime& until);
    void accept() override;

private:
    QDateTime m_now;
    QPlainTextEdit* m_note;
    QComboBox* m_duration;
    QDateTimeEdit* m_until;
    QLabel* m_problem;
};

} // namespace qc::ui
