// risk/risk.hpp — the risk module (SYSTEM.md §4 "Risk"; original-system.md §3.3).
//
// Pure decision code: no I/O, no clock, no randomness; every function is thread-safe.
// Parameters are plain structs (risk/params.hpp) that the app fills from the configuration.
//
//   risk/params.hpp      parameter structs and the original's defaults as named constants
//   risk/volatility.hpp  vol estimator (original 20/60-day rule or EWMA, prior, floor, cap), scaling
//   risk/regime.hpp      drawdown, US/EU momentum, regime ladder, reduction rule
//   risk/decision.hpp    evaluate_risk: the day's final scaling and every factor that changed it
//   risk/leverage.hpp    gross/net leverage limits on the final target book
//   risk/tail_risk.hpp   VaR and expected shortfall (losses as positive fractions)
//   risk/pre_trade.hpp   pre-trade checks with reason codes
#pragma once

#include "risk/decision.hpp"
#include "risk/leverage.hpp"
#include "risk/params.hpp"
#include "risk/pre_trade.hpp"
#include "risk/regime.hpp"
#include "risk/tail_risk.hpp"
#include "risk/volatility.hpp"
