#pragma once

#include "ui/page.h"
#include "ui/pageregistry.h"

namespace qc::ui {

/// The live dashboard: KPI tiles, charts and top lists (docs/console-architecture.md).
class DashboardPage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(DashboardPage)
public:
    explicit DashboardPage(const PageContext& context, QWidget* parent = nullptr);
    ~DashboardPage() override;

    static PageDescriptor descriptor();
};

} // namespace qc::ui
