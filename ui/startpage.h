#pragma once

#include <QWidget>

namespace qc::ui {

/// What a person sees before connecting: what the console does and how to get started.
class StartPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(StartPage)

public:
    explicit StartPage(QWidget* parent = nullptr);
};

} // namespace qc::ui
