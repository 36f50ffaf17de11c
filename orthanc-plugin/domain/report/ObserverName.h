#pragma once
// The report's author as a DICOM Person Name (PN: Family^Given^Middle^Prefix^Suffix), the
// form the SR's Person Observer and Verifying Observer must take and a PACS files it under.
//
// An account's display name is what people read in the viewer, written either way:
// - already as PN (it holds a '^'): "BENNANI^Salma^^Dr" is kept as it is;
// - as people write a name: "Dr Salma Bennani", "Pr. Nadia El Idrissi", "BENNANI Salma".
//   Leading titles (Dr, Docteur, Pr, Prof, Professeur) become the prefix. A family name
//   written in capitals among names that are not is the family name, wherever it stands
//   (the French forms' "NOM Prénom"); otherwise the last word is, with the particles before
//   it ("El Idrissi", "Ben Ali", "Ait Taleb", "de Souza"), and the words before are the given
//   names.
// An empty display name gives the login as the family name. Characters a PN cannot hold
// ('\', '=', control characters) are dropped; the result is at most 64 bytes of whole UTF-8
// characters (the PN limit for one component group).
#include <string>

namespace relais::report {

std::string ObserverPersonName(const std::string& displayName, const std::string& login);

}  // namespace relais::report
