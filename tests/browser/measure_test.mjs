// Unit tests of viewer/js/measure.js (no browser): calibration, values and the report's units.
//   node --test measure_test.mjs
import assert from 'node:assert/strict';
import test from 'node:test';
import { calibrationAt, fitsUnit, formatMeasurement, inUnit, measure } from '../../viewer/js/measure.js';

const xray = { pixelSpacing: { row: 0.25, column: 0.2, source: 'ImagerPixelSpacing' }, ultrasoundRegions: [] };
const us = {
  pixelSpacing: { row: 0.25, column: 0.2, source: 'UltrasoundRegion' },
  ultrasoundRegions: [{ x0: 40, y0: 20, x1: 600, y1: 430, mmPerPixelX: 0.2, mmPerPixelY: 0.25 },
    { x0: 0, y0: 440, x1: 99, y1: 479, mmPerPixelX: 1, mmPerPixelY: 1 }],
};
const photo = { pixelSpacing: null, ultrasoundRegions: [] };

test('rows and columns have their own spacing', () => {
  assert.equal(measure('length', [{ x: 0, y: 0 }, { x: 100, y: 0 }], xray).value, 20);
  assert.equal(measure('length', [{ x: 0, y: 0 }, { x: 0, y: 100 }], xray).value, 25);
  assert.ok(Math.abs(measure('length', [{ x: 0, y: 0 }, { x: 30, y: 40 }], xray).value - Math.hypot(6, 10)) < 1e-9);
});

test('an ultrasound distance counts only inside one region', () => {
  assert.deepEqual(calibrationAt(us, [{ x: 40, y: 20 }, { x: 601, y: 431 }]), { x: 0.2, y: 0.25 });
  assert.equal(calibrationAt(us, [{ x: 300, y: 300 }, { x: 300, y: 460 }]), null, 'across two regions');
  assert.equal(calibrationAt(us, [{ x: 39, y: 100 }, { x: 300, y: 100 }]), null, 'from outside');
  const m = measure('length', [{ x: 300, y: 300 }, { x: 300, y: 460 }], us);
  assert.deepEqual([m.unit, m.calibrated, m.value], ['px', false, 160]);
});

test('values are written with their unit, pixels said to be uncalibrated', () => {
  assert.equal(formatMeasurement(measure('length', [{ x: 0, y: 0 }, { x: 100, y: 0 }], xray), 'non calibré'), '20.0 mm');
  assert.equal(formatMeasurement(measure('length', [{ x: 0, y: 0 }, { x: 143, y: 0 }], photo), 'non calibré'), '143 px, non calibré');
  const small = measure('area', [{ x: 0, y: 0 }, { x: 40, y: 40 }], xray);  // π·4·5 mm²
  assert.equal(formatMeasurement(small, 'x'), '62.8 mm²');
  const large = measure('area', [{ x: 0, y: 0 }, { x: 200, y: 200 }], xray);  // π·20·25 mm²
  assert.equal(formatMeasurement(large, 'x'), '15.71 cm²');
  assert.equal(formatMeasurement(measure('area', [{ x: 0, y: 0 }, { x: 20, y: 10 }], photo), 'non calibré'), '157 px², non calibré');
});

test('a calibrated value fills fields of a fitting unit only, converted', () => {
  const length = measure('length', [{ x: 0, y: 0 }, { x: 123, y: 0 }], xray);  // 24.6 mm
  assert.ok(fitsUnit(length, 'mm') && fitsUnit(length, 'cm'));
  assert.ok(!fitsUnit(length, 'cm2') && !fitsUnit(length, 'g') && !fitsUnit(length, 'wk') && !fitsUnit(length, undefined));
  assert.equal(inUnit(length, 'mm'), 24.6);
  assert.equal(inUnit(length, 'cm'), 2.46);
  const area = measure('area', [{ x: 0, y: 0 }, { x: 200, y: 200 }], xray);
  assert.ok(fitsUnit(area, 'cm2') && !fitsUnit(area, 'mm'));
  assert.equal(inUnit(area, 'cm2'), 15.71);
  assert.ok(!fitsUnit(measure('length', [{ x: 0, y: 0 }, { x: 10, y: 0 }], photo), 'mm'), 'pixels never go into mm');
  assert.ok(!fitsUnit(length, 'toString'), 'only units, not any property name');
});
