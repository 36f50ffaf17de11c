#include "domain/report/ReportTemplate.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace relais::report {

namespace {

using nlohmann::json;

// Collects the location ("file: section 'x' field 'y'") so every error names where it is.
class Where {
 public:
  explicit Where(std::string source) : text_(std::move(source)) {}
  Where in(const std::string& what) const { return Where(text_ + ": " + what); }
  [[noreturn]] void fail(const std::string& message) const { throw TemplateError(text_ + ": " + message); }

 private:
  std::string text_;
};

const std::regex kIdPattern("[a-z0-9][a-z0-9-]{0,63}");

void CheckKeys(const json& object, const std::set<std::string>& allowed, const Where& where) {
  for (const auto& item : object.items()) {
    if (allowed.count(item.key()) == 0) {
      std::string list;
      for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
      where.fail("unknown key '" + item.key() + "' (expected one of: " + list + ")");
    }
  }
}

const json& Required(const json& object, const std::string& key, const Where& where) {
  auto it = object.find(key);
  if (it == object.end()) where.fail("missing key '" + key + "'");
  return *it;
}

std::string String(const json& value, const std::string& key, const Where& where, bool allowEmpty = false) {
  if (!value.is_string()) where.fail("'" + key + "' must be a string");
  std::string s = value.get<std::string>();
  if (!allowEmpty && s.empty()) where.fail("'" + key + "' must not be empty");
  return s;
}

std::string Id(const json& object, const Where& where) {
  std::string id = String(Required(object, "id", where), "id", where);
  if (!std::regex_match(id, kIdPattern)) {
    where.fail("id '" + id + "' must be lower-case letters, digits and '-'");
  }
  return id;
}

Label ParseLabel(const json& value, const Where& where) {
  if (!value.is_object()) where.fail("'label' must be an object {\"fr\": ..., \"en\": ...}");
  CheckKeys(value, {"fr", "en"}, where.in("label"));
  Label label;
  label.fr = String(Required(value, "fr", where.in("label")), "label.fr", where);
  label.en = String(Required(value, "en", where.in("label")), "label.en", where);
  return label;
}

// Code Value is at most 64 characters (Long Code Value), Code Meaning at most 64 (LO).
Code ParseCode(const json& value, const Where& where) {
  if (!value.is_object()) where.fail("'code' must be an object {\"code\", \"scheme\", \"meaning\"}");
  Where w = where.in("code");
  CheckKeys(value, {"code", "scheme", "meaning"}, w);
  Code code{String(Required(value, "code", w), "code", w), String(Required(value, "scheme", w), "scheme", w),
            String(Required(value, "meaning", w), "meaning", w)};
  if (code.value.size() > 64) w.fail("code value longer than 64 characters");
  if (code.scheme.size() > 16) w.fail("scheme designator longer than 16 characters");
  if (code.meaning.size() > 64) w.fail("meaning longer than 64 characters");
  return code;
}

// A concept defined by Relais when the template names no standard code for it.
Code LocalCode(const std::string& id, const Label& label, const Where& where) {
  if (label.en.size() > 64) where.fail("English label longer than 64 characters: give an explicit 'code'");
  return Code{id, "99RELAIS", label.en};
}

// UCUM case-sensitive codes are printable ASCII without spaces ("mm", "/min", "g/dL", "{beats}/min").
bool LooksLikeUcum(const std::string& unit) {
  if (unit.empty() || unit.size() > 16) return false;
  for (unsigned char c : unit) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

FieldType ParseType(const json& value, const Where& where) {
  std::string name = String(value, "type", where);
  if (name == "text") return FieldType::Text;
  if (name == "choice") return FieldType::Choice;
  if (name == "number") return FieldType::Number;
  if (name == "date") return FieldType::Date;
  if (name == "coded") return FieldType::Coded;
  where.fail("unknown type '" + name + "' (expected text, choice, number, date or coded)");
}

double Number(const json& value, const std::string& key, const Where& where) {
  if (!value.is_number()) where.fail("'" + key + "' must be a number");
  return value.get<double>();
}

TemplateField ParseField(const json& value, const Where& sectionWhere) {
  if (!value.is_object()) sectionWhere.fail("each field must be an object");
  TemplateField f;
  f.id = Id(value, sectionWhere.in("a field"));
  Where w = sectionWhere.in("field '" + f.id + "'");
  CheckKeys(value, {"id", "type", "required", "label", "code", "options", "unit", "min", "max", "codingSchemes",
                    "maxLength"},
            w);
  f.type = ParseType(Required(value, "type", w), w);
  if (value.contains("required")) {
    if (!value["required"].is_boolean()) w.fail("'required' must be true or false");
    f.required = value["required"].get<bool>();
  }
  f.label = ParseLabel(Required(value, "label", w), w);
  f.concept = value.contains("code") ? ParseCode(value["code"], w) : LocalCode(f.id, f.label, w);

  auto forbid = [&](const char* key, const char* onlyFor) {
    if (value.contains(key)) w.fail(std::string("'") + key + "' is only allowed on " + onlyFor + " fields");
  };
  if (f.type != FieldType::Choice) forbid("options", "choice");
  if (f.type != FieldType::Number) {
    forbid("unit", "number");
    forbid("min", "number");
    forbid("max", "number");
  }
  if (f.type != FieldType::Coded) forbid("codingSchemes", "coded");
  if (f.type != FieldType::Text) forbid("maxLength", "text");

  switch (f.type) {
    case FieldType::Choice: {
      const json& options = Required(value, "options", w);
      if (!options.is_array() || options.empty()) w.fail("'options' must be a non-empty array");
      std::set<std::string> seen;
      for (const json& o : options) {
        if (!o.is_object()) w.fail("each option must be an object");
        ChoiceOption option;
        option.id = Id(o, w.in("an option"));
        Where ow = w.in("option '" + option.id + "'");
        CheckKeys(o, {"id", "label", "code"}, ow);
        if (!seen.insert(option.id).second) ow.fail("duplicate option id");
        option.label = ParseLabel(Required(o, "label", ow), ow);
        option.code = o.contains("code") ? ParseCode(o["code"], ow) : LocalCode(option.id, option.label, ow);
        f.options.push_back(std::move(option));
      }
      break;
    }
    case FieldType::Number: {
      const json& unit = Required(value, "unit", w);
      if (!unit.is_object()) w.fail("'unit' must be an object {\"ucum\": ..., \"meaning\": ...}");
      CheckKeys(unit, {"ucum", "meaning", "label"}, w.in("unit"));
      f.unit = String(Required(unit, "ucum", w.in("unit")), "unit.ucum", w);
      if (!LooksLikeUcum(f.unit)) w.fail("unit '" + f.unit + "' is not a UCUM code (printable, no spaces, 16 max)");
      f.unitMeaning = String(Required(unit, "meaning", w.in("unit")), "unit.meaning", w);
      f.unitLabel = unit.contains("label") ? ParseLabel(unit["label"], w.in("unit")) : Label{f.unit, f.unit};
      if (value.contains("min")) f.minimum = Number(value["min"], "min", w);
      if (value.contains("max")) f.maximum = Number(value["max"], "max", w);
      if (f.minimum && f.maximum && *f.minimum > *f.maximum) w.fail("'min' is greater than 'max'");
      break;
    }
    case FieldType::Coded: {
      const json& schemes = Required(value, "codingSchemes", w);
      if (!schemes.is_array() || schemes.empty()) w.fail("'codingSchemes' must be a non-empty array of designators");
      for (const json& s : schemes) f.codingSchemes.push_back(String(s, "codingSchemes[]", w));
      break;
    }
    case FieldType::Text:
      if (value.contains("maxLength")) {
        if (!value["maxLength"].is_number_unsigned() || value["maxLength"].get<size_t>() == 0) {
          w.fail("'maxLength' must be a positive integer");
        }
        f.maxLength = value["maxLength"].get<size_t>();
      }
      break;
    case FieldType::Date:
      break;
  }
  return f;
}

json CodeJson(const Code& c) { return {{"code", c.value}, {"scheme", c.scheme}, {"meaning", c.meaning}}; }
json LabelJson(const Label& l) { return {{"fr", l.fr}, {"en", l.en}}; }

}  // namespace

std::string FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::Text: return "text";
    case FieldType::Choice: return "choice";
    case FieldType::Number: return "number";
    case FieldType::Date: return "date";
    case FieldType::Coded: return "coded";
  }
  return "text";
}

const ChoiceOption* TemplateField::option(const std::string& optionId) const {
  for (const auto& o : options) {
    if (o.id == optionId) return &o;
  }
  return nullptr;
}

const TemplateField* ReportTemplate::field(const std::string& fieldId) const {
  for (const auto& s : sections) {
    for (const auto& f : s.fields) {
      if (f.id == fieldId) return &f;
    }
  }
  return nullptr;
}

bool ReportTemplate::serves(const std::string& specialty) const {
  for (const auto& s : specialties) {
    if (s == specialty) return true;
  }
  return false;
}

json ReportTemplate::toJson() const {
  json out = {{"id", id}, {"specialties", specialties}, {"title", LabelJson(title)}, {"code", CodeJson(documentCode)}};
  json sectionList = json::array();
  for (const auto& s : sections) {
    json fields = json::array();
    for (const auto& f : s.fields) {
      json jf = {{"id", f.id}, {"type", FieldTypeName(f.type)}, {"required", f.required},
                 {"label", LabelJson(f.label)}, {"code", CodeJson(f.concept)}};
      if (f.type == FieldType::Choice) {
        json options = json::array();
        for (const auto& o : f.options) {
          options.push_back({{"id", o.id}, {"label", LabelJson(o.label)}, {"code", CodeJson(o.code)}});
        }
        jf["options"] = options;
      }
      if (f.type == FieldType::Number) {
        jf["unit"] = {{"ucum", f.unit}, {"meaning", f.unitMeaning}, {"label", LabelJson(f.unitLabel)}};
        if (f.minimum) jf["min"] = *f.minimum;
        if (f.maximum) jf["max"] = *f.maximum;
      }
      if (f.type == FieldType::Coded) jf["codingSchemes"] = f.codingSchemes;
      if (f.type == FieldType::Text) jf["maxLength"] = f.maxLength;
      fields.push_back(jf);
    }
    sectionList.push_back({{"id", s.id}, {"label", LabelJson(s.label)}, {"code", CodeJson(s.concept)}, {"fields", fields}});
  }
  out["sections"] = sectionList;
  return out;
}

ReportTemplate ParseReportTemplate(const json& document, const std::string& id, const std::string& source) {
  Where where(source);
  if (!document.is_object()) where.fail("a template must be a JSON object");
  CheckKeys(document, {"specialties", "title", "code", "sections"}, where);
  ReportTemplate t;
  t.id = id;
  t.source = source;
  const json& specialties = Required(document, "specialties", where);
  if (!specialties.is_array() || specialties.empty()) where.fail("'specialties' must be a non-empty array");
  for (const json& s : specialties) t.specialties.push_back(String(s, "specialties[]", where));
  t.title = ParseLabel(Required(document, "title", where), where.in("title"));
  t.documentCode = ParseCode(Required(document, "code", where), where);

  const json& sections = Required(document, "sections", where);
  if (!sections.is_array() || sections.empty()) where.fail("'sections' must be a non-empty array");
  std::set<std::string> sectionIds, fieldIds;
  for (const json& s : sections) {
    if (!s.is_object()) where.fail("each section must be an object");
    TemplateSection section;
    section.id = Id(s, where.in("a section"));
    Where sw = where.in("section '" + section.id + "'");
    CheckKeys(s, {"id", "label", "code", "fields"}, sw);
    if (!sectionIds.insert(section.id).second) sw.fail("duplicate section id");
    section.label = ParseLabel(Required(s, "label", sw), sw);
    section.concept = s.contains("code") ? ParseCode(s["code"], sw) : LocalCode(section.id, section.label, sw);
    const json& fields = Required(s, "fields", sw);
    if (!fields.is_array() || fields.empty()) sw.fail("'fields' must be a non-empty array");
    for (const json& f : fields) {
      TemplateField field = ParseField(f, sw);
      // Field ids are the keys of a report's JSON, so they are unique across sections.
      if (!fieldIds.insert(field.id).second) sw.in("field '" + field.id + "'").fail("duplicate field id in this template");
      section.fields.push_back(std::move(field));
    }
    t.sections.push_back(std::move(section));
  }
  return t;
}

ReportTemplate LoadReportTemplate(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw TemplateError(path + ": cannot open the file");
  json document;
  try {
    document = json::parse(in);
  } catch (const json::parse_error& e) {
    throw TemplateError(path + ": not valid JSON: " + e.what());
  }
  std::string id = std::filesystem::path(path).stem().string();
  if (!std::regex_match(id, kIdPattern)) {
    throw TemplateError(path + ": the file name must be a lower-case id such as dermatology.json");
  }
  return ParseReportTemplate(document, id, path);
}

}  // namespace relais::report
