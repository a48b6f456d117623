// The console's pages, in one place: add a line here for a new page (its descriptor gives the
// navigation order). See docs/console-architecture.md.
#include "ui/dashboardpage.h"
#include "ui/pageregistry.h"
#include "ui/simulatepage.h"

namespace qc::ui {

void registerBuiltInPages(PageRegistry& registry)
{
    registry.add(DashboardPage::descriptor()); // order 10
    registry.add(SimulatePage::descriptor()); // order 80
    // Investigate (20), Requests (30), Incidents (40), Alerts (50), Blocks (60), Audit (70),
    // Simulate (80) are added here by their pages.
}

} // namespace qc::ui
