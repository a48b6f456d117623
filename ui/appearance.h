#pragma once

#include "services/preferences.h"

#include <QPalette>

namespace qc::ui {

/// The dark palette of View → Theme → Dark (Fusion style), readable on KPI tiles and charts.
QPalette darkPalette();
/// Light and Dark use the Fusion style with its own or the dark palette; System gives back the
/// style and palette the console started with.
void applyTheme(services::Preferences::Theme theme);

/// Applies what takes effect at once: theme, display time zone, log level, data directory (the
/// log moves there). `before` (if any) avoids redoing what did not change. The language applies
/// at the next start (services::applyLanguage in main()).
void applyPreferences(
    const services::Preferences& now, const services::Preferences* before = nullptr);

} // namespace qc::ui
