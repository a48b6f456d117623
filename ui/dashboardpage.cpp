#include "dashboardpage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

DashboardPage::DashboardPage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<h2>Dashboard</h2>"), this));
    layout->addStretch(1);
}

DashboardPage::~DashboardPage() = default;

PageDescriptor DashboardPage::descriptor()
{
    PageDescriptor d;
    d.id = u"dashboard"_s;
    d.title = tr("Dashboard");
    d.toolTip = tr("Live KPIs, charts and top lists");
    d.icon = QIcon::fromTheme(u"utilities-system-monitor"_s);
    d.order = 10;
    d.create = [](const PageContext& context, QWidget* parent) -> Page* {
        return new DashboardPage(context, parent);
    };
    return d;
}

} // namespace qc::ui
