#include "marketdata/catalog.hpp"

#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "marketdata/csv_import.hpp"

namespace af::marketdata {

namespace {

struct Ctx {
  const std::string& label;
  Error error(const YAML::Node& node, const std::string& key, const std::string& what) const {
    return Error{ErrorCode::kConfig, fmt::format("{}:{}: key {}: {}", label, node.Mark().line + 1, key, what)};
  }
};

Status check_keys(const Ctx& ctx, const YAML::Node& node, const std::string& path,
                  std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) return ctx.error(node, path, "expected a mapping");
  for (const auto& kv : node) {
    auto key = kv.first.as<std::string>();
    bool ok = false;
    for (auto a : allowed) ok = ok || a == key;
    if (!ok) return ctx.error(kv.first, path + "." + key, "unknown key");
  }
  return ok_status();
}

Result<std::string> get_string(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) return ctx.error(node, path, "expected a string");
  return node.as<std::string>();
}

Result<double> get_double(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  double v = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, v)) return ctx.error(node, path, "expected a number");
  return v;
}

Result<Date> get_date(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  AF_ASSIGN_OR_RETURN(std::string s, get_string(ctx, node, path));
  auto d = Date::parse(s);
  if (!d) return ctx.error(node, path, d.error().message);
  return *d;
}

Result<std::vector<std::string>> get_ids(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      AF_ASSIGN_OR_RETURN(std::string s, get_string(ctx, item, path));
      out.push_back(s);
    }
  } else {
    return ctx.error(node, path, "expected a series id or a list of ids");
  }
  return out;
}

Result<SyntheticSegment> parse_segment(const Ctx& ctx, const YAML::Node& n, const std::string& path) {
  AF_RETURN_IF_ERROR(check_keys(ctx, n, path, {"driver", "until", "calibrate", "rho", "vol_annual", "vol_from"}));
  SyntheticSegment seg;
  if (!n["driver"]) return ctx.error(n, path + ".driver", "required");
  AF_ASSIGN_OR_RETURN(seg.driver, get_string(ctx, n["driver"], path + ".driver"));
  if (n["until"]) {
    AF_ASSIGN_OR_RETURN(Date d, get_date(ctx, n["until"], path + ".until"));
    seg.until = d;
  }
  if (const auto& c = n["calibrate"]) {
    const std::string cp = path + ".calibrate";
    AF_RETURN_IF_ERROR(check_keys(ctx, c, cp, {"target", "reference", "from", "to"}));
    for (const char* k : {"target", "reference", "from", "to"}) {
      if (!c[k]) return ctx.error(c, cp + "." + k, "required");
    }
    Calibration cal;
    AF_ASSIGN_OR_RETURN(cal.target, get_ids(ctx, c["target"], cp + ".target"));
    AF_ASSIGN_OR_RETURN(cal.reference, get_string(ctx, c["reference"], cp + ".reference"));
    AF_ASSIGN_OR_RETURN(cal.from, get_date(ctx, c["from"], cp + ".from"));
    AF_ASSIGN_OR_RETURN(cal.to, get_date(ctx, c["to"], cp + ".to"));
    seg.calibrate = cal;
  }
  if (n["rho"]) {
    AF_ASSIGN_OR_RETURN(double v, get_double(ctx, n["rho"], path + ".rho"));
    if (v < -1.0 || v > 1.0) return ctx.error(n["rho"], path + ".rho", "must be in [-1, 1]");
    seg.rho = v;
  }
  if (n["vol_annual"]) {
    AF_ASSIGN_OR_RETURN(double v, get_double(ctx, n["vol_annual"], path + ".vol_annual"));
    if (v <= 0.0) return ctx.error(n["vol_annual"], path + ".vol_annual", "must be > 0");
    seg.vol_annual = v;
  }
  if (const auto& vf = n["vol_from"]) {
    const std::string vp = path + ".vol_from";
    AF_RETURN_IF_ERROR(check_keys(ctx, vf, vp, {"series", "from", "to", "times"}));
    for (const char* k : {"series", "from", "to"}) {
      if (!vf[k]) return ctx.error(vf, vp + "." + k, "required");
    }
    VolFrom v;
    AF_ASSIGN_OR_RETURN(v.series, get_string(ctx, vf["series"], vp + ".series"));
    AF_ASSIGN_OR_RETURN(v.from, get_date(ctx, vf["from"], vp + ".from"));
    AF_ASSIGN_OR_RETURN(v.to, get_date(ctx, vf["to"], vp + ".to"));
    if (vf["times"]) {
      AF_ASSIGN_OR_RETURN(v.times, get_double(ctx, vf["times"], vp + ".times"));
    }
    seg.vol_from = v;
  }
  const bool explicit_model = seg.rho.has_value();
  const bool has_vol = seg.vol_annual.has_value() || seg.vol_from.has_value();
  if (seg.calibrate && (explicit_model || has_vol)) {
    return ctx.error(n, path, "give either calibrate, or rho with vol_annual/vol_from, not both");
  }
  if (!seg.calibrate && !(explicit_model && has_vol)) {
    return ctx.error(n, path, "needs calibrate, or rho together with vol_annual or vol_from");
  }
  if (seg.vol_annual && seg.vol_from) return ctx.error(n, path, "give vol_annual or vol_from, not both");
  return seg;
}

Result<SyntheticRecipe> parse_recipe(const Ctx& ctx, const YAML::Node& n, const std::string& path) {
  AF_RETURN_IF_ERROR(check_keys(ctx, n, path,
                                {"model", "start", "end", "start_price", "drift_annual", "vol_multiplier",
                                 "corr_multiplier", "segments", "source", "window_days", "level_reference"}));
  SyntheticRecipe r;
  std::string model = "factor";
  if (n["model"]) {
    AF_ASSIGN_OR_RETURN(model, get_string(ctx, n["model"], path + ".model"));
  }
  if (model == "factor") {
    r.model = SyntheticModel::kFactor;
  } else if (model == "realized_vol_proxy") {
    r.model = SyntheticModel::kRealizedVolProxy;
  } else {
    return ctx.error(n["model"], path + ".model", fmt::format("unknown model '{}' (factor | realized_vol_proxy)", model));
  }
  if (n["start"]) {
    AF_ASSIGN_OR_RETURN(r.start, get_date(ctx, n["start"], path + ".start"));
  }
  if (n["end"]) {
    AF_ASSIGN_OR_RETURN(r.end, get_date(ctx, n["end"], path + ".end"));
  }
  if (!(r.start < r.end)) return ctx.error(n, path + ".end", "must be after start");
  auto number = [&](const char* key, double& out) -> Status {
    if (n[key]) {
      AF_ASSIGN_OR_RETURN(out, get_double(ctx, n[key], path + "." + key));
    }
    return ok_status();
  };
  AF_RETURN_IF_ERROR(number("start_price", r.start_price));
  AF_RETURN_IF_ERROR(number("drift_annual", r.drift_annual));
  AF_RETURN_IF_ERROR(number("vol_multiplier", r.vol_multiplier));
  AF_RETURN_IF_ERROR(number("corr_multiplier", r.corr_multiplier));
  if (r.start_price <= 0.0) return ctx.error(n["start_price"], path + ".start_price", "must be > 0");
  if (r.vol_multiplier <= 0.0) return ctx.error(n["vol_multiplier"], path + ".vol_multiplier", "must be > 0");
  if (r.model == SyntheticModel::kFactor) {
    const auto& segs = n["segments"];
    if (!segs || !segs.IsSequence() || segs.size() == 0) {
      return ctx.error(n, path + ".segments", "a factor recipe needs a non-empty list of segments");
    }
    for (std::size_t i = 0; i < segs.size(); ++i) {
      AF_ASSIGN_OR_RETURN(SyntheticSegment s, parse_segment(ctx, segs[i], fmt::format("{}.segments[{}]", path, i)));
      r.segments.push_back(std::move(s));
    }
    for (std::size_t i = 0; i + 1 < r.segments.size(); ++i) {
      if (!r.segments[i].until) {
        return ctx.error(segs[i], fmt::format("{}.segments[{}].until", path, i), "required on all but the last segment");
      }
    }
  } else {
    if (!n["source"] || !n["level_reference"]) {
      return ctx.error(n, path, "a realized_vol_proxy recipe needs source and level_reference");
    }
    AF_ASSIGN_OR_RETURN(r.source, get_string(ctx, n["source"], path + ".source"));
    AF_ASSIGN_OR_RETURN(r.level_reference, get_string(ctx, n["level_reference"], path + ".level_reference"));
    if (n["window_days"]) {
      AF_ASSIGN_OR_RETURN(double w, get_double(ctx, n["window_days"], path + ".window_days"));
      if (w < 2) return ctx.error(n["window_days"], path + ".window_days", "must be >= 2");
      r.window_days = static_cast<int>(w);
    }
  }
  return r;
}

}  // namespace

std::string CatalogSeries::source_text() const {
  if (kind == SeriesKind::kSynthetic) return fmt::format("synthetic (recipe data/catalog.yaml series {})", id);
  if (ohlcv) return fmt::format("{} (open/high/low/close/volume)", file);
  return fmt::format("{} column {}", file, column);
}

const CatalogSeries* Catalog::find(std::string_view id) const noexcept {
  for (const auto& s : series) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

Result<Catalog> parse_catalog(std::string_view yaml_text, const std::string& label) {
  Ctx ctx{label};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Error{ErrorCode::kConfig, fmt::format("{}:{}: {}", label, e.mark.line + 1, e.msg)};
  }
  AF_RETURN_IF_ERROR(check_keys(ctx, root, "(root)", {"version", "series"}));
  if (!root["version"] || root["version"].as<std::string>() != "1") {
    return ctx.error(root, "version", "expected version: 1");
  }
  const auto& list = root["series"];
  if (!list || !list.IsMap()) return ctx.error(root, "series", "expected a mapping of series id -> entry");
  Catalog cat;
  cat.path = label;
  std::set<std::string> seen;
  for (const auto& kv : list) {
    CatalogSeries s;
    s.id = kv.first.as<std::string>();
    const std::string path = "series." + s.id;
    const YAML::Node& n = kv.second;
    s.line = kv.first.Mark().line + 1;
    if (!seen.insert(s.id).second) return ctx.error(kv.first, path, "duplicate series id");
    AF_RETURN_IF_ERROR(check_keys(ctx, n, path, {"kind", "file", "column", "columns", "currency", "unit", "notes", "recipe"}));
    if (!n["kind"]) return ctx.error(n, path + ".kind", "required (real | synthetic)");
    auto kind = parse_series_kind(n["kind"].as<std::string>());
    if (!kind) return ctx.error(n["kind"], path + ".kind", kind.error().message);
    s.kind = *kind;
    if (!n["currency"]) return ctx.error(n, path + ".currency", "required");
    auto cur = parse_currency(n["currency"].as<std::string>());
    if (!cur) return ctx.error(n["currency"], path + ".currency", cur.error().message);
    s.currency = *cur;
    s.unit = QuoteUnit::major(s.currency);
    if (n["unit"]) {
      auto unit = parse_quote_unit(n["unit"].as<std::string>());
      if (!unit) return ctx.error(n["unit"], path + ".unit", unit.error().message);
      if (unit->currency() != s.currency) {
        return ctx.error(n["unit"], path + ".unit", fmt::format("unit {} does not belong to currency {}", unit->code(),
                                                                to_string(s.currency)));
      }
      s.unit = *unit;
    }
    if (n["notes"]) s.notes = n["notes"].as<std::string>();
    if (s.kind == SeriesKind::kReal) {
      if (!n["file"]) return ctx.error(n, path + ".file", "required for a real series");
      if (n["recipe"]) return ctx.error(n["recipe"], path + ".recipe", "only synthetic series have a recipe");
      s.file = n["file"].as<std::string>();
      if (n["columns"]) {
        if (n["columns"].as<std::string>() != "ohlcv") return ctx.error(n["columns"], path + ".columns", "only 'ohlcv' is supported");
        s.ohlcv = true;
      } else if (n["column"]) {
        s.column = n["column"].as<std::string>();
      } else {
        return ctx.error(n, path, "a real series needs column: NAME or columns: ohlcv");
      }
    } else {
      if (!n["recipe"]) return ctx.error(n, path + ".recipe", "required for a synthetic series");
      AF_ASSIGN_OR_RETURN(SyntheticRecipe r, parse_recipe(ctx, n["recipe"], path + ".recipe"));
      s.recipe = std::move(r);
    }
    cat.series.push_back(std::move(s));
  }
  // Recipes may only use series defined earlier in the file (generation order).
  std::set<std::string> defined;
  for (const auto& s : cat.series) {
    if (s.recipe) {
      std::vector<std::string> uses;
      for (const auto& seg : s.recipe->segments) {
        uses.push_back(seg.driver);
        if (seg.calibrate) {
          uses.insert(uses.end(), seg.calibrate->target.begin(), seg.calibrate->target.end());
          uses.push_back(seg.calibrate->reference);
        }
        if (seg.vol_from) uses.push_back(seg.vol_from->series);
      }
      if (!s.recipe->source.empty()) uses.push_back(s.recipe->source);
      if (!s.recipe->level_reference.empty()) uses.push_back(s.recipe->level_reference);
      for (const auto& u : uses) {
        if (!defined.count(u)) {
          return Error{ErrorCode::kConfig,
                       fmt::format("{}:{}: key series.{}.recipe: uses series '{}', which is not defined earlier in the "
                                   "catalog",
                                   label, s.line, s.id, u)};
        }
      }
    }
    defined.insert(s.id);
  }
  return cat;
}

Result<Catalog> load_catalog(const std::string& path) {
  AF_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
  return parse_catalog(text, path);
}

}  // namespace af::marketdata
