// Measurements on an image, in the image's own pixel coordinates (column x, row y), turned into
// millimetres by the hub's calibration facts (GET /relais/v1/instances/{id}/rendering):
// pixelSpacing {row, column, source} and the calibrated ultrasound regions. Without a
// calibration, or across an ultrasound image outside one region, the value stays in pixels and
// says so: a distance in pixels must never pass for millimetres.

// mm per pixel along x (columns) and y (rows) where all `points` lie, or null when uncalibrated.
export function calibrationAt(facts, points) {
  const spacing = facts && facts.pixelSpacing;
  if (!spacing) return null;
  if (spacing.source !== 'UltrasoundRegion') return { x: spacing.column, y: spacing.row };
  const region = (facts.ultrasoundRegions || []).find((r) =>
    points.every((p) => p.x >= r.x0 && p.x <= r.x1 + 1 && p.y >= r.y0 && p.y <= r.y1 + 1));
  return region ? { x: region.mmPerPixelX, y: region.mmPerPixelY } : null;
}

// {kind: 'length' | 'area', value, unit: 'mm' | 'mm2' | 'px' | 'px2', calibrated}
export function measure(kind, points, facts) {
  const [a, b] = points;
  const cal = calibrationAt(facts, points);
  const sx = cal ? cal.x : 1;
  const sy = cal ? cal.y : 1;
  if (kind === 'length') {
    const value = Math.hypot((b.x - a.x) * sx, (b.y - a.y) * sy);
    return { kind, value, unit: cal ? 'mm' : 'px', calibrated: !!cal };
  }
  // The ellipse inscribed in the box the two points span.
  const value = Math.PI * (Math.abs(b.x - a.x) / 2) * sx * (Math.abs(b.y - a.y) / 2) * sy;
  return { kind, value, unit: cal ? 'mm2' : 'px2', calibrated: !!cal };
}

// The value as a reader writes it: "20.0 mm", "1.23 cm²", "143 px, non calibré".
export function formatMeasurement(m, uncalibratedText) {
  if (!m.calibrated) {
    return `${Math.round(m.value)} ${m.kind === 'area' ? 'px²' : 'px'}, ${uncalibratedText}`;
  }
  if (m.kind === 'length') return `${m.value.toFixed(1)} mm`;
  return m.value >= 100 ? `${(m.value / 100).toFixed(2)} cm²` : `${m.value.toFixed(1)} mm²`;
}

// UCUM length and area units a report field may have: mm (or mm²) each, and the decimals a
// ruler on screen can tell in that unit.
const LENGTHS = { mm: [1, 1], cm: [10, 2], m: [1000, 4] };
const AREAS = { mm2: [1, 1], cm2: [100, 2], m2: [1e6, 6] };

// Whether a calibrated measurement can fill a number field of this unit.
export function fitsUnit(m, ucum) {
  if (!m.calibrated || !ucum) return false;
  return Object.hasOwn(m.kind === 'length' ? LENGTHS : AREAS, ucum);
}

// The measurement in the field's unit, rounded.
export function inUnit(m, ucum) {
  const [factor, decimals] = (m.kind === 'length' ? LENGTHS : AREAS)[ucum];
  return Number((m.value / factor).toFixed(decimals));
}
