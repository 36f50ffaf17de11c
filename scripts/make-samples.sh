#!/usr/bin/env bash
# Captures sample studies without any device: relais-capture-samples writes device-like inputs
# (a phone photo with EXIF orientation and GPS, a dermatoscope picture, an ultrasound screen
# grab and clip, a 16-bit detector X-ray, a photo of a film, request files), then
# relais-capture turns them into three DICOM studies for patient DEMO-001 of unit VAN-07:
#   OUT/dicom/derm   VL Photographic + Dermoscopic Photography (dermatology, urgent)
#   OUT/dicom/us     US Image + US Multi-frame (obstetrics-gynaecology, urgent)
#   OUT/dicom/xray   DX For Presentation + Secondary Capture DF (radiology, routine)
# usage: scripts/make-samples.sh [OUT]   (OUT defaults to .relais-samples/ in the checkout;
#        the build folder is $RELAIS_BUILD_DIR or build/, configured by scripts/test.sh; the hub
#        named in the closing hint listens on $RELAIS_HTTP_PORT or 8042)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${RELAIS_BUILD_DIR:-$here/build}"
out="${1:-$here/.relais-samples}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build" -DRELAIS_WERROR=ON >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target relais-capture relais-capture-samples relais_capture_media >/dev/null
capture="$build/capture/relais-capture"
rm -rf "$out/dicom"
"$build/capture/relais-capture-samples" "$out/inputs"
in="$out/inputs"

study_of() { sed -n 's/.*"studyInstanceUid":"\([0-9.]*\)".*/\1/p'; }

uid=$("$capture" photo --request "$in/request-derm.json" --out "$out/dicom/derm" --json "$in/derm-lesion.jpg" | study_of)
"$capture" photo --dermoscopy --request "$in/request-derm.json" --study-uid "$uid" --out "$out/dicom/derm" \
  --manufacturer SampleCo --model "Derm-10" --device-serial 0001 --magnification 10 --json "$in/dermoscopy.jpg" >/dev/null
"$capture" ultrasound --request "$in/request-us.json" --out "$out/dicom/us" "$in/us-still.png" --clip "$in/us-clip.avi" >/dev/null
"$capture" xray --request "$in/request-xray.json" --out "$out/dicom/xray" "$in/chest.png" --film "$in/film.jpg" >/dev/null

echo "sample studies (patient DEMO-001, unit VAN-07):"
for kind in derm us xray; do
  echo "  $out/dicom/$kind: $(ls "$out/dicom/$kind" | wc -l) file(s)"
done
echo "send them to a hub with relais-forward (see README), or: curl -u unit07:unit07-pass -X POST --data-binary @FILE http://127.0.0.1:${RELAIS_HTTP_PORT:-8042}/instances"
