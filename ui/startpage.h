#pragma once

#include <QWidget>

class QPushButton;

namespace qc::ui {

/// What a person sees while not connected: what the console does and how to get started.
class StartPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(StartPage)

public:
    explicit StartPage(QWidget* parent = nullptr);

    /// Whether there are profiles to pick from (changes the main button).
    void setHasProfiles(bool hasProfiles);

Q_SIGNALS:
    void manageProfilesRequested();
    void newProfileRequested();

private:
    QPushButton* m_manage;
    QPushButton* m_new;
};

} // namespace qc::ui
