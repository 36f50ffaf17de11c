#pragma once
// The columns both upload stores select and how a row becomes an UploadSession: one reading
// for SQLite and PostgreSQL. `Row` is anything with text / integer by column index.
#include "domain/UploadSession.h"

namespace relais {

inline const char* const kUploadColumns =
    "id, unit, sop_uid, size, sha256, committed, state, orthanc_id, store_status, created_at, touched_at";

template <typename Row>
UploadSession UploadFromRow(const Row& r) {
  UploadSession s;
  s.id = r.integer(0);
  s.unit = r.text(1);
  s.sopInstanceUid = r.text(2);
  s.size = r.integer(3);
  s.sha256 = r.text(4);
  s.offset = r.integer(5);
  s.state = ParseUploadState(r.text(6)).value_or(UploadState::Receiving);
  s.orthancId = r.text(7);
  s.storeStatus = r.text(8);
  s.createdAt = r.integer(9);
  s.touchedAt = r.integer(10);
  return s;
}

}  // namespace relais
