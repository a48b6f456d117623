#pragma once

#include "simulation/workspace.h"

#include <QWidget>

class QCheckBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QStackedWidget;

namespace qc::ui {

/// Where the Simulate page's traffic comes from: a time range of the connected database's
/// request_logs (with a warm-up read before it), a CSV/JSONL trace file, or a generated
/// scenario. Reads and writes simulation::WorkspaceSource, the workspace file's form.
class SimulationSourceWidget final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(SimulationSourceWidget)
public:
    explicit SimulationSourceWidget(QWidget* parent = nullptr);

    simulation::WorkspaceSource source() const;
    void setSource(const simulation::WorkspaceSource& source);
    /// Why the source cannot be read as set, empty when it can.
    QString problem() const;
    /// Offers the database range only while a database is connected (`label`: its profile).
    void setDatabaseAvailable(bool available, const QString& label = {});
    /// Sets the database range to the last `span` milliseconds before `now`.
    void setRecentRange(const QDateTime& now, qint64 spanMs);

Q_SIGNALS:
    void changed();

private:
    void kindChanged();

    QRadioButton* m_database;
    QRadioButton* m_file;
    QRadioButton* m_generated;
    QStackedWidget* m_stack;
    QLabel* m_databaseLabel;
    QDateTimeEdit* m_from;
    QDateTimeEdit* m_to;
    QLineEdit* m_path;
    QDateTimeEdit* m_genStart;
    QLineEdit* m_genDuration;
    QSpinBox* m_seed;
    QSpinBox* m_users;
    QSpinBox* m_ips;
    QDoubleSpinBox* m_rate;
    QList<QCheckBox*> m_scenarios;
    QLineEdit* m_warmup;
    QLabel* m_problem;
    bool m_databaseAvailable = false;
};

} // namespace qc::ui
