#include "instruments.hpp"

#include "config/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace af::ibsim {
namespace {

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

const char kMonthCodes[] = "FGHJKMNQUVXZ";

double default_tick(const InstrumentSpec& s) {
  if (s.tick_size) return *s.tick_size;
  if (s.sec_type == "CASH") return 0.00005;
  if (s.sec_type == "FUT") {
    if (s.symbol == "ES" || s.symbol == "MES") return 0.25;
    if (s.symbol == "6E") return 0.00005;
    if (s.symbol == "M6E") return 0.0001;
    if (s.symbol == "FESX" || s.symbol == "FCE") return 1.0;
    if (s.symbol == "VX" || s.symbol == "FVS") return 0.05;
    return 0.01;
  }
  return 0.01;
}

std::string yyyymmdd(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", d.year(), d.month(), d.day());
  return buf;
}

}  // namespace

Result<std::vector<InstrumentSpec>> read_instrument_specs(const std::filesystem::path& config_dir) {
  AF_ASSIGN_OR_RETURN(auto cfg, config::load_config(config_dir, config::process_environment()));
  std::vector<InstrumentSpec> out;
  for (const config::Instrument& i : cfg.instruments) {
    InstrumentSpec s;
    s.id = i.id.str();
    s.symbol = i.contract.symbol;
    s.sec_type = std::string(config::to_string(i.contract.sec_type));
    s.exchange = i.contract.exchange;
    s.primary_exchange = i.contract.primary_exchange;
    s.currency = std::string(to_string(i.contract.currency));
    s.trading_class = i.contract.trading_class;
    s.multiplier = i.contract.multiplier;
    s.tick_size = i.contract.tick_size;
    s.data_series = i.data_series;
    if (i.future) s.contract_months = i.future->contract_months();
    if (i.option) {
      if (const config::Instrument* u = cfg.instruments.find(i.option->underlying)) {
        s.data_series = u->data_series.empty() ? s.data_series : u->data_series;
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<InstrumentSpec> builtin_instrument_specs() {
  struct Row {
    const char *id, *symbol, *sec_type, *exchange, *primary, *currency;
    double multiplier;
  };
  static const Row rows[] = {
      {"us_index_future", "ES", "FUT", "CME", "", "USD", 50},
      {"us_index_etf", "CSPX", "STK", "SMART", "LSEETF", "USD", 1},
      {"us_index_micro", "MES", "FUT", "CME", "", "USD", 5},
      {"eu_index_future", "FESX", "FUT", "EUREX", "", "EUR", 10},
      {"eu_index_etf", "CSX5", "STK", "SMART", "LSEETF", "EUR", 1},
      {"eu_broad_etf", "SMEA", "STK", "SMART", "LSEETF", "GBP", 1},
      {"eurusd_future", "6E", "FUT", "CME", "", "USD", 125000},
      {"eurusd_micro", "M6E", "FUT", "CME", "", "USD", 12500},
      {"eurusd_spot", "EUR", "CASH", "IDEALPRO", "", "USD", 1},
      {"tech_xlk", "IUIT", "STK", "SMART", "LSEETF", "USD", 1},
      {"health_xlv", "IUHC", "STK", "SMART", "LSEETF", "USD", 1},
      {"ig_lqd", "LQDE", "STK", "SMART", "LSEETF", "USD", 1},
      {"hy_hyg", "IHYU", "STK", "SMART", "LSEETF", "USD", 1},
      {"bdc_arcc", "ARCC", "STK", "SMART", "NASDAQ", "USD", 1},
      {"bdc_main", "MAIN", "STK", "SMART", "NYSE", "USD", 1},
      {"value_ewg", "EXS1", "STK", "SMART", "IBIS", "EUR", 1},
      {"spx_index", "SPX", "OPT", "SMART", "CBOE", "USD", 100},
      {"spy_etf", "SPY", "OPT", "SMART", "", "USD", 100},
      {"sx5e_index", "SX5E", "OPT", "EUREX", "", "EUR", 10},
      {"germany_bund", "FGBL", "FUT", "EUREX", "", "EUR", 1000},
      {"vix_future", "VX", "FUT", "CFE", "", "USD", 1000},
  };
  std::vector<InstrumentSpec> out;
  for (const Row& r : rows) {
    InstrumentSpec s;
    s.id = r.id;
    s.symbol = r.symbol;
    s.sec_type = r.sec_type;
    s.exchange = r.exchange;
    s.primary_exchange = r.primary;
    s.currency = r.currency;
    s.multiplier = r.multiplier;
    out.push_back(s);
  }
  return out;
}

std::int64_t make_con_id(const SimContract& c) {
  char strike[32];
  std::snprintf(strike, sizeof strike, "%.4f", c.strike);
  const std::string key = c.symbol + "|" + c.sec_type + "|" + c.last_trade_date + "|" + strike +
                          "|" + c.right + "|" + c.currency + "|" + c.trading_class;
  // 100000..2^31-1: looks like an IB conId and fits the int field of every client.
  return static_cast<std::int64_t>(100000 + fnv1a(key) % (2147483647ull - 100000));
}

Date third_friday(int year, unsigned month) {
  Date first(year, month, 1);
  const unsigned wd = first.iso_weekday();  // 1=Mon .. 7=Sun; Friday = 5
  const int to_friday = static_cast<int>((5 + 7 - wd) % 7);
  return first.add_days(to_friday + 14);
}

InstrumentCatalog InstrumentCatalog::build(
    const std::vector<InstrumentSpec>& specs, Date today,
    const std::function<std::optional<double>(const std::string&, const std::string&)>& underlying_price) {
  InstrumentCatalog cat;
  auto mult_text = [](double m) -> std::string {
    if (m == 1.0) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", m);
    return buf;
  };
  auto add = [&cat](SimInstrument inst) {
    inst.contract.con_id = make_con_id(inst.contract);
    for (const auto& existing : cat.instruments_) {
      if (existing.contract.con_id == inst.contract.con_id) return;  // duplicate listing
    }
    cat.instruments_.push_back(std::move(inst));
  };
  std::vector<InstrumentSpec> all = specs;
  for (const char* extra : {"AAPL", "MSFT", "SPY"}) {
    InstrumentSpec s;
    s.id = std::string("extra:") + extra;
    s.symbol = extra;
    s.sec_type = "STK";
    s.exchange = "SMART";
    s.primary_exchange = std::string(extra) == "SPY" ? "ARCA" : "NASDAQ";
    s.currency = "USD";
    all.push_back(s);
  }
  for (const InstrumentSpec& s : all) {
    SimInstrument base;
    base.id = s.id;
    base.min_tick = default_tick(s);
    base.multiplier = s.multiplier;
    base.series = s.data_series.empty() ? s.symbol : s.data_series;
    base.contract.symbol = s.symbol;
    base.contract.sec_type = s.sec_type;
    base.contract.currency = s.currency;
    base.contract.multiplier = mult_text(s.multiplier);
    base.long_name = s.id;
    if (s.sec_type == "STK") {
      base.contract.exchange = "SMART";
      base.contract.primary_exchange = s.primary_exchange.empty() ? s.exchange : s.primary_exchange;
      if (base.contract.primary_exchange == "SMART") base.contract.primary_exchange = "";
      base.contract.local_symbol = s.symbol;
      base.contract.trading_class = s.trading_class.empty() ? s.symbol : s.trading_class;
      add(base);
    } else if (s.sec_type == "CASH") {
      base.contract.exchange = s.exchange.empty() ? "IDEALPRO" : s.exchange;
      base.contract.local_symbol = s.symbol + "." + s.currency;
      base.contract.trading_class = s.symbol + "." + s.currency;
      if (s.data_series.empty()) base.series = s.symbol + "." + s.currency;
      add(base);
    } else if (s.sec_type == "IND") {
      base.contract.exchange = s.exchange;
      base.contract.local_symbol = s.symbol;
      base.contract.trading_class = s.trading_class.empty() ? s.symbol : s.trading_class;
      add(base);
    } else if (s.sec_type == "FUT") {
      // The next two quarterly months (H M U Z) whose expiry is after `today`.
      int produced = 0;
      for (int k = 0; produced < 2 && k < 12; ++k) {
        int y = today.year();
        int m = static_cast<int>(today.month()) + k;
        y += (m - 1) / 12;
        m = (m - 1) % 12 + 1;
        const bool listed = s.contract_months.empty()
                                ? m % 3 == 0
                                : std::find(s.contract_months.begin(), s.contract_months.end(),
                                            static_cast<unsigned>(m)) != s.contract_months.end();
        if (!listed) continue;
        const Date expiry = third_friday(y, static_cast<unsigned>(m));
        if (expiry <= today) continue;
        SimInstrument f = base;
        f.contract.exchange = s.exchange;
        f.contract.last_trade_date = yyyymmdd(expiry);
        f.contract.local_symbol = s.symbol + kMonthCodes[m - 1] + std::to_string(y % 10);
        f.contract.trading_class = s.trading_class.empty() ? s.symbol : s.trading_class;
        f.expiry = expiry;
        add(f);
        ++produced;
      }
    } else if (s.sec_type == "OPT") {
      const double spot = underlying_price(base.series, s.symbol).value_or(100.0);
      const double step = spot > 1000 ? 25.0 : (spot > 100 ? 5.0 : 1.0);
      int produced = 0;
      for (int k = 0; produced < 3 && k < 6; ++k) {
        int y = today.year();
        int m = static_cast<int>(today.month()) + k;
        y += (m - 1) / 12;
        m = (m - 1) % 12 + 1;
        const Date expiry = third_friday(y, static_cast<unsigned>(m));
        if (expiry <= today) continue;
        ++produced;
        for (double pct : {0.80, 0.85, 0.90, 0.95, 1.00, 1.05, 1.10}) {
          const double strike = std::round(spot * pct / step) * step;
          for (const char* right : {"C", "P"}) {
            SimInstrument o = base;
            o.contract.exchange = s.exchange == "EUREX" ? "EUREX" : "SMART";
            o.contract.primary_exchange = "";
            o.contract.last_trade_date = yyyymmdd(expiry);
            o.contract.strike = strike;
            o.contract.right = right;
            o.contract.trading_class = s.trading_class.empty() ? s.symbol : s.trading_class;
            char local[48];
            std::snprintf(local, sizeof local, "%-6s%02d%02d%02d%s%08ld", s.symbol.c_str(), y % 100,
                          m, static_cast<int>(expiry.day()), right,
                          static_cast<long>(std::llround(strike * 1000)));
            o.contract.local_symbol = local;
            o.underlying_symbol = s.symbol;
            o.expiry = expiry;
            o.min_tick = s.tick_size.value_or(0.01);
            add(o);
          }
        }
      }
    }
  }
  return cat;
}

const SimInstrument* InstrumentCatalog::by_con_id(std::int64_t con_id) const {
  for (const auto& i : instruments_) {
    if (i.contract.con_id == con_id) return &i;
  }
  return nullptr;
}

std::vector<const SimInstrument*> InstrumentCatalog::match(const SimContract& q) const {
  std::vector<const SimInstrument*> out;
  if (q.con_id != 0) {
    if (const auto* i = by_con_id(q.con_id)) out.push_back(i);
    return out;
  }
  for (const auto& inst : instruments_) {
    const SimContract& c = inst.contract;
    if (!q.symbol.empty() && q.symbol != c.symbol) continue;
    if (q.symbol.empty() && (q.local_symbol.empty() || q.local_symbol != c.local_symbol)) continue;
    if (!q.sec_type.empty() && q.sec_type != c.sec_type) continue;
    if (!q.currency.empty() && q.currency != c.currency) continue;
    if (!q.exchange.empty() && q.exchange != "SMART" && q.exchange != c.exchange &&
        q.exchange != c.primary_exchange) {
      continue;
    }
    if (!q.last_trade_date.empty() &&
        c.last_trade_date.compare(0, q.last_trade_date.size(), q.last_trade_date) != 0) {
      continue;
    }
    if (q.strike != 0.0 && std::fabs(q.strike - c.strike) > 1e-9) continue;
    if (!q.right.empty() && q.right != "?" && q.right.substr(0, 1) != c.right) continue;
    if (!q.trading_class.empty() && q.trading_class != c.trading_class) continue;
    if (!q.local_symbol.empty() && q.local_symbol != c.local_symbol) continue;
    if (!q.multiplier.empty() && !c.multiplier.empty() && std::stod(q.multiplier) != std::stod(c.multiplier)) {
      continue;
    }
    out.push_back(&inst);
  }
  return out;
}

}  // namespace af::ibsim
