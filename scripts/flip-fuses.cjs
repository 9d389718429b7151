// electron-builder afterPack hook: flips Electron's fuses in the packaged binary so it cannot be
// turned into a general Node runtime (RunAsNode, NODE_OPTIONS, --inspect off) and only loads our
// integrity-checked app.asar.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

function executablePath(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

module.exports = async function flipElectronFuses(context) {
  await flipFuses(executablePath(context), { ...FUSES, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' });
};
module.exports.FUSES = FUSES;
