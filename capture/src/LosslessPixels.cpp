#include "relais/capture/LosslessPixels.h"

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>
#include <dcmtk/oflog/oflog.h>

#include <mutex>

namespace relais::capture {
namespace {

// DCMTK's codec list is process-wide; registered once, on the first grey image. The encoders
// read the pixels through dcmimgle, which tells at INFO level, on every image, that it does
// not apply the modality transform (it must not: the stored values are coded as they are).
void registerEncoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    OFLog::getLogger("dcmtk.dcmimgle").setLogLevel(OFLogger::WARN_LOG_LEVEL);
    DJLSEncoderRegistration::registerCodecs();
  });
}

bool recode(DcmDataset& dataset, E_TransferSyntax syntax, const DcmRepresentationParameter& parameters) {
  return dataset.chooseRepresentation(syntax, &parameters).good() && dataset.canWriteXfer(syntax);
}

}  // namespace

int compressLosslessly(DicomObject& object) {
  registerEncoders();
  DcmDataset& dataset = *object.file->getDataset();
  // Near-lossless error 0: lossless.
  if (recode(dataset, EXS_JPEGLSLossless, DJLSRepresentationParameter(0, OFTrue))) {
    object.transferSyntax = EXS_JPEGLSLossless;
  } else {
    dataset.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    object.transferSyntax = EXS_LittleEndianExplicit;
  }
  // The native copy is not needed any more: only the chosen representation is written.
  dataset.removeAllButCurrentRepresentations();
  return object.transferSyntax;
}

}  // namespace relais::capture
