#pragma once

#include "services/preferences.h"

class QWidget;

namespace qc::ui {

/// Restores the sizes of the named QSplitters under `root` from `p.splitterStates`.
void restoreSplitters(QWidget* root, const services::Preferences& p);
/// Records the sizes of the named QSplitters under `root` into `p.splitterStates`.
void saveSplitters(const QWidget* root, services::Preferences& p);

} // namespace qc::ui
