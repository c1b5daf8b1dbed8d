// config/schema_impl.hpp — internal: templates of config/schema.hpp (the walker and the field
// builders). Included by schema.hpp only.
#pragma once

#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace af::config::detail {

// ---------------------------------------------------------------------------------------------
// The walker.

inline std::string parent_pattern(const std::string& path) {
  if (path.size() >= 2 && path.compare(path.size() - 2, 2, "[]") == 0) {
    return path.substr(0, path.size() - 2);
  }
  auto dot = path.rfind('.');
  return dot == std::string::npos ? std::string{} : path.substr(0, dot);
}

inline std::string last_segment(const std::string& path) {
  auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

template <class T>
class Walker {
 public:
  Walker(const std::vector<Field<T>>& fields, T& target, std::string file, Problems& problems,
         LineIndex& lines)
      : target_(target), file_(std::move(file)), problems_(problems), lines_(lines) {
    for (const auto& f : fields) {
      children_[parent_pattern(f.path)].push_back(&f);
      segment_.emplace(&f, last_segment(f.path));
    }
  }

  void walk_map(const std::string& pattern, const YAML::Node& node, const std::string& concrete,
                int map_line) {
    const auto& kids = children_of(pattern);
    std::set<std::string> seen;
    if (node.IsMap()) {
      for (const auto& kv : node) {
        std::string what;
        auto key = parse_string(kv.first, what, false);
        int key_line = forced_line_ ? forced_line_ : line_of(kv.first);
        if (!key) {
          problems_.add(file_, key_line, concrete.empty() ? "(root)" : concrete, "bad key: " + what);
          continue;
        }
        std::string cpath = concrete.empty() ? *key : concrete + "." + *key;
        if (!seen.insert(*key).second) {
          problems_.add(file_, key_line, cpath, "duplicate key (already given above)");
          continue;
        }
        const Field<T>* f = nullptr;
        for (const auto* k : kids) {
          if (segment_of(k) == *key) f = k;
        }
        if (f == nullptr) {
          for (const auto* k : kids) {
            if (!segment_of(k).empty() && segment_of(k)[0] == '<') f = k;
          }
        }
        if (f == nullptr) {
          problems_.add(file_, key_line, cpath, "unknown key" + allowed_keys(kids));
          continue;
        }
        lines_.emplace(cpath, key_line);
        visit(*f, kv.second, cpath, *key, key_line);
      }
    }
    for (const auto* k : kids) {
      const std::string& seg = segment_of(k);
      if (seg.empty() || seg[0] == '<' || seen.count(seg)) continue;
      std::string cpath = concrete.empty() ? seg : concrete + "." + seg;
      switch (k->kind) {
        case FieldKind::kOptionalSection: break;
        case FieldKind::kSection:
        case FieldKind::kWildcardMap:
          visit(*k, YAML::Node(YAML::NodeType::Map), cpath, seg, map_line);
          break;
        case FieldKind::kLeaf:
        case FieldKind::kList:
          if (!k->default_yaml) {
            problems_.add(file_, map_line, cpath, "missing required key");
          } else {
            int saved = forced_line_;
            forced_line_ = map_line;
            visit(*k, default_node(*k), cpath, seg, map_line);
            forced_line_ = saved;
          }
          break;
      }
    }
  }

 private:
  // last_segment(k->path), computed once per field (walk_map compares it with every key).
  const std::string& segment_of(const Field<T>* k) const { return segment_.at(k); }

  // The parsed default of a field, parsed once per document rather than once per use (every
  // instrument uses the defaults of the fields it omits; a YAML::Load costs a parser set-up).
  // Shared safely: fields only read the node (const YAML::Node&) and copy values out of it.
  const YAML::Node& default_node(const Field<T>& k) {
    auto it = default_nodes_.find(&k);
    if (it == default_nodes_.end()) it = default_nodes_.emplace(&k, YAML::Load(*k.default_yaml)).first;
    return it->second;
  }

  const std::vector<const Field<T>*>& children_of(const std::string& pattern) const {
    static const std::vector<const Field<T>*> kNone;
    auto it = children_.find(pattern);
    return it == children_.end() ? kNone : it->second;
  }

  static std::string allowed_keys(const std::vector<const Field<T>*>& kids) {
    std::string out;
    for (const auto* k : kids) {
      std::string seg = last_segment(k->path);
      if (seg.empty() || seg[0] == '<') continue;
      out += out.empty() ? " (allowed here: " : ", ";
      out += seg;
    }
    return out.empty() ? out : out + ")";
  }

  void visit(const Field<T>& f, const YAML::Node& value, const std::string& cpath,
             const std::string& key, int line) {
    Where where{file_, forced_line_ ? forced_line_ : line, cpath};
    switch (f.kind) {
      case FieldKind::kLeaf: {
        std::string what = f.read(target_, value, where);
        if (!what.empty()) problems_.add(file_, where.line, cpath, what);
        return;
      }
      case FieldKind::kSection:
      case FieldKind::kOptionalSection:
      case FieldKind::kWildcardMap: {
        if (!value.IsMap()) {
          problems_.add(file_, where.line, cpath, "expected a mapping, got " + describe(value));
          return;
        }
        if (f.enter) {
          std::string what = f.enter(target_, key, where);
          if (!what.empty()) problems_.add(file_, where.line, cpath, what);
        }
        walk_map(f.path, value, cpath, where.line);
        return;
      }
      case FieldKind::kList: {
        if (!value.IsSequence()) {
          problems_.add(file_, where.line, cpath, "expected a list, got " + describe(value));
          return;
        }
        if (f.enter) f.enter(target_, key, where);  // clears the list; never fails
        const auto& items = children_of(f.path);
        const Field<T>* item = nullptr;
        for (const auto* k : items) {
          if (k->path == f.path + "[]") item = k;
        }
        if (item == nullptr) return;
        for (std::size_t i = 0; i < value.size(); ++i) {
          std::string ipath = cpath + "[" + std::to_string(i) + "]";
          int iline = forced_line_ ? forced_line_ : line_of(value[i]);
          if (!value[i].IsMap()) {
            problems_.add(file_, iline, ipath, "expected a mapping, got " + describe(value[i]));
            continue;
          }
          if (item->enter) item->enter(target_, std::to_string(i), Where{file_, iline, ipath});
          walk_map(item->path, value[i], ipath, iline);
        }
        return;
      }
    }
  }

  T& target_;
  std::string file_;
  Problems& problems_;
  LineIndex& lines_;
  std::map<std::string, std::vector<const Field<T>*>> children_;
  std::unordered_map<const Field<T>*, std::string> segment_;
  std::unordered_map<const Field<T>*, YAML::Node> default_nodes_;
  int forced_line_ = 0;  // while reading a default: report the line of the enclosing map
};

template <class T>
void read_document(const std::vector<Field<T>>& fields, T& target, const YAML::Node& root,
                   const std::string& file, Problems& problems, LineIndex& lines) {
  Walker<T> walker(fields, target, file, problems, lines);
  if (!root.IsMap() && !root.IsNull()) {
    problems.add(file, line_of(root), "(root)", "expected a mapping of keys, got " + describe(root));
    return;
  }
  walker.walk_map("", root.IsNull() ? YAML::Node(YAML::NodeType::Map) : root, "", 1);
}

// ---------------------------------------------------------------------------------------------
// Field builders. `acc` is a generic accessor `[](auto& t) -> auto& { return t.member; }` that
// works on both T& and const T&.

inline const std::optional<std::string> kRequired = std::nullopt;

template <class T>
struct Builder {
  static Field<T> section(std::string path, std::string doc, bool optional = false) {
    Field<T> f;
    f.path = std::move(path);
    f.kind = optional ? FieldKind::kOptionalSection : FieldKind::kSection;
    f.type = "map";
    f.doc = std::move(doc);
    return f;
  }

  template <class Acc>
  static Field<T> number(std::string path, Acc acc, NumberRange r, std::optional<std::string> def,
                         std::string unit, std::string doc) {
    Field<T> f = leaf(std::move(path), "number", std::move(def), r.text(), std::move(unit),
                      std::move(doc));
    f.read = [acc, r](T& t, const YAML::Node& n, const Where&) {
      std::string what;
      auto v = parse_number(n, r, what);
      if (v) acc(t) = *v;
      return what;
    };
    f.write = [acc](const T& t) { return nlohmann::json(acc(t)); };
    return f;
  }

  template <class Acc>
  static Field<T> integer(std::string path, Acc acc, NumberRange r, std::optional<std::string> def,
                          std::string unit, std::string doc) {
    Field<T> f = leaf(std::move(path), "integer", std::move(def), r.text(), std::move(unit),
                      std::move(doc));
    f.read = [acc, r](T& t, const YAML::Node& n, const Where&) {
      std::string what;
      auto v = parse_integer(n, r, what);
      if (v) acc(t) = static_cast<std::remove_reference_t<decltype(acc(t))>>(*v);
      return what;
    };
    f.write = [acc](const T& t) { return nlohmann::json(acc(t)); };
    return f;
  }

  template <class Acc>
  static Field<T> boolean(std::string path, Acc acc, std::optional<std::string> def,
                          std::string doc) {
    Field<T> f = leaf(std::move(path), "bool", std::move(def), "true | false", "", std::move(doc));
    f.read = [acc](T& t, const YAML::Node& n, const Where&) {
      std::string what;
      auto v = parse_bool(n, what);
      if (v) acc(t) = *v;
      return what;
    };
    f.write = [acc](const T& t) { return nlohmann::json(acc(t)); };
    return f;
  }

  template <class Acc>
  static Field<T> string(std::string path, Acc acc, std::optional<std::string> def,
                         std::string range, std::string doc, bool allow_empty = true) {
    Field<T> f = leaf(std::move(path), "string", std::move(def), std::move(range), "",
                      std::move(doc));
    f.read = [acc, allow_empty](T& t, const YAML::Node& n, const Where&) {
      std::string what;
      auto v = parse_string(n, what, allow_empty);
      if (v) acc(t) = *v;
      return what;
    };
    f.write = [acc](const T& t) { return nlohmann::json(acc(t)); };
    return f;
  }

  // An enumeration spelled by `names` (YAML text -> value).
  template <class Acc, class E>
  static Field<T> enumeration(std::string path, Acc acc,
                              std::vector<std::pair<std::string, E>> names,
                              std::optional<std::string> def, std::string doc) {
    std::vector<std::string> choices;
    for (const auto& [n, e] : names) choices.push_back(n);
    Field<T> f = leaf(std::move(path), "enum", std::move(def), join_choices(choices), "",
                      std::move(doc));
    f.read = [acc, names, choices](T& t, const YAML::Node& n, const Where&) {
      std::string what;
      auto v = parse_choice(n, choices, what);
      if (v) {
        for (const auto& [name, e] : names) {
          if (name == *v) acc(t) = e;
        }
      }
      return what;
    };
    f.write = [acc, names](const T& t) {
      for (const auto& [name, e] : names) {
        if (acc(t) == e) return nlohmann::json(name);
      }
      return nlohmann::json(nullptr);
    };
    return f;
  }

  // A leaf with a custom reader/writer (lists, weight maps, dates ...).
  static Field<T> custom(std::string path, std::string type, std::optional<std::string> def,
                         std::string range, std::string unit, std::string doc,
                         std::function<std::string(T&, const YAML::Node&, const Where&)> read,
                         std::function<nlohmann::json(const T&)> write = {}) {
    Field<T> f = leaf(std::move(path), std::move(type), std::move(def), std::move(range),
                      std::move(unit), std::move(doc));
    f.read = std::move(read);
    f.write = std::move(write);
    return f;
  }

 private:
  static Field<T> leaf(std::string path, std::string type, std::optional<std::string> def,
                       std::string range, std::string unit, std::string doc) {
    Field<T> f;
    f.path = std::move(path);
    f.kind = FieldKind::kLeaf;
    f.type = std::move(type);
    f.default_yaml = std::move(def);
    f.range = std::move(range);
    f.unit = std::move(unit);
    f.doc = std::move(doc);
    return f;
  }
};

}  // namespace af::config::detail
