import * as cdktf from 'cdktf';
import { chooseFramework, TerraformStack, Token } from '../../lib/cdk';

describe('the CDK the library runs on: CDKTF or CDK Terrain, the app\'s own copy', () => {
  test('the one installed; of two, the one the app\'s package.json names, else CDKTF', () => {
    expect(chooseFramework(['cdktn'], [])).toBe('cdktn');
    expect(chooseFramework(['cdktf'], ['cdktn'])).toBe('cdktf');
    expect(chooseFramework(['cdktf', 'cdktn'], ['cdktn'])).toBe('cdktn');
    expect(chooseFramework(['cdktf', 'cdktn'], ['cdktf'])).toBe('cdktf');
    expect(chooseFramework(['cdktf', 'cdktn'], ['cdktf', 'cdktn'])).toBe('cdktf');
    expect(chooseFramework(['cdktf', 'cdktn'], [])).toBe('cdktf');
    expect(chooseFramework([], ['cdktf'])).toBeUndefined();
  });

  test('in this repository (CDKTF only), the library\'s classes are cdktf\'s own', () => {
    expect(TerraformStack).toBe(cdktf.TerraformStack);
    expect(Token).toBe(cdktf.Token);
  });
});
