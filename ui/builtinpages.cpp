// The console's pages, in one place: add a line here for a new page (its descriptor gives the
// navigation order). See docs/console-architecture.md.
#include "ui/alertspage.h"
#include "ui/auditpage.h"
#include "ui/blockspage.h"
#include "ui/dashboardpage.h"
#include "ui/incidentspage.h"
#include "ui/investigatepage.h"
#include "ui/pageregistry.h"
#include "ui/requestspage.h"
#include "ui/simulatepage.h"

namespace qc::ui {

void registerBuiltInPages(PageRegistry& registry)
{
    registry.add(DashboardPage::descriptor()); // order 10
    registry.add(InvestigatePage::descriptor()); // 20
    registry.add(RequestsPage::descriptor()); // 30
    registry.add(IncidentsPage::descriptor()); // 40
    registry.add(AlertsPage::descriptor()); // 50
    registry.add(BlocksPage::descriptor()); // 60
    registry.add(AuditPage::descriptor()); // 70
    registry.add(SimulatePage::descriptor()); // 80
}

} // namespace qc::ui
