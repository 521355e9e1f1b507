; Inno Setup script: the Windows installer of ONNX Studio (the one we ship; onnxstudio.nsi is the same
; installer for NSIS, which compiles on Linux so that CI here can check it).
; Keep AppName, version, ProgId, the .onnx association and the install folder in step with onnxstudio.nsi:
; tests/installer/test_windows_scripts.py compares them.
;
; Built by .github/workflows/installers.yml after the PyInstaller build:
;   iscc /DAppVersion=0.1.0 installer\windows\onnxstudio.iss
; Silent per-user install (what the workflow tests):
;   onnxstudio-0.1.0-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /CURRENTUSER /TASKS=associate

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; Paths relative to this script: installer\dist\onnxstudio (PyInstaller) and installer\build\icons.
#ifndef SourceDir
  #define SourceDir "..\dist\onnxstudio"
#endif
#ifndef IconsDir
  #define IconsDir "..\build\icons"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#define AppName "ONNX Studio"
#define AppExe "onnxstudio.exe"
#define ProgId "ONNXStudio.Model"
#define Publisher "ONNX Studio developers"

[Setup]
; Never change AppId: it is how an update finds the earlier installation.
AppId={{EBCD59DC-B2BB-4A47-939E-30AB76F1A1D9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
VersionInfoVersion={#AppVersion}
; Per user by default (no administrator prompt): {autopf} is then %LOCALAPPDATA%\Programs.
; The dialog (or /ALLUSERS) still allows an install for all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=onnxstudio-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconsDir}\onnxstudio.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
; An update closes a running ONNX Studio first (its files are in use otherwise).
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "associate"; Description: "Open .onnx files with {#AppName}"; GroupDescription: "File types:"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Inspect, run and benchmark ONNX models"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; HKA: HKCU for a per-user install, HKLM for all users. A ProgId plus OpenWithProgids is how Windows 10/11
; expect an app to offer itself for a type; the user confirms the default on first double-click.
Root: HKA; Subkey: "Software\Classes\.onnx"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: createvalueifdoesntexist uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.onnx\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "ONNX model"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: associate
; "Open with" list, whatever the task: the app can always open .onnx files.
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".onnx"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Left behind by a self-test run from the install folder; nothing else of the user's is in {app}.
Type: files; Name: "{app}\onnxstudio-selftest.json"
