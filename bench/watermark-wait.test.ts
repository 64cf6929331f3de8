import { WatermarkWait } from './watermark-wait';

describe('WatermarkWait', () => {
  it('is when the last partition carried the event time plus the bound', () => {
    const wait = new WatermarkWait(1_000);
    wait.arrived(0, 10_100, 10);
    wait.arrived(1, 10_100, 10);
    wait.arrived(0, 11_100, 50);
    wait.arrived(1, 10_900, 60);
    wait.arrived(1, 11_200, 80);
    expect(wait.passableAt(10_100)).toBe(80);
    expect(wait.passableAt(9_900)).toBe(60);
  });

  it('takes the highest event time so far, so a record behind it does not count as progress', () => {
    const wait = new WatermarkWait(1_000);
    wait.arrived(0, 2_000, 10);
    wait.arrived(0, 500, 20);
    expect(wait.passableAt(1_000)).toBe(10);
  });

  it('is undefined while some partition has not reached it', () => {
    const wait = new WatermarkWait(1_000);
    wait.arrived(0, 5_000, 10);
    wait.arrived(1, 1_500, 10);
    expect(wait.passableAt(600)).toBeUndefined();
    expect(new WatermarkWait(1_000).passableAt(0)).toBeUndefined();
  });
});
