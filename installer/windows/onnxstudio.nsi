; NSIS script: the same installer as onnxstudio.iss (Inno Setup, the one we ship), for NSIS. It exists
; because makensis runs on Linux: CI here compiles it (tests/installer/test_windows_scripts.py), which
; checks the layout and association logic that onnxstudio.iss mirrors. Keep the two in step.
;   makensis -DVERSION=0.1.0 installer/windows/onnxstudio.nsi
; Silent per-user install: onnxstudio-0.1.0-windows-x64-setup-nsis.exe /S

Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "..\dist\onnxstudio"
!endif
!ifndef ICONS_DIR
  !define ICONS_DIR "..\build\icons"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\onnxstudio-${VERSION}-windows-x64-setup-nsis.exe"
!endif
!define APP_NAME "ONNX Studio"
!define APP_EXE "onnxstudio.exe"
!define PROG_ID "ONNXStudio.Model"
!define PUBLISHER "ONNX Studio developers"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ONNXStudio"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
; Per user, no administrator prompt (what Inno's PrivilegesRequired=lowest gives).
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
SetCompressor /SOLID lzma
!define MUI_ICON "${ICONS_DIR}\onnxstudio.ico"
!define MUI_UNICON "${ICONS_DIR}\onnxstudio.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "LegalCopyright" "MIT License, ${PUBLISHER}"

Section "ONNX Studio" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}"
  ; "Open with" list, whatever the options: the app can always open .onnx files.
  WriteRegStr HKCU "Software\Classes\Applications\${APP_EXE}" "FriendlyAppName" "${APP_NAME}"
  WriteRegStr HKCU "Software\Classes\Applications\${APP_EXE}\SupportedTypes" ".onnx" ""
  WriteRegStr HKCU "Software\Classes\Applications\${APP_EXE}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}"
SectionEnd

Section "Open .onnx files with ONNX Studio" SecAssociate
  ; A ProgId plus OpenWithProgids; .onnx's default only when no other app has it (the user keeps control).
  ReadRegStr $0 HKCU "Software\Classes\.onnx" ""
  StrCmp $0 "" 0 +2
    WriteRegStr HKCU "Software\Classes\.onnx" "" "${PROG_ID}"
  WriteRegStr HKCU "Software\Classes\.onnx\OpenWithProgids" "${PROG_ID}" ""
  WriteRegStr HKCU "Software\Classes\${PROG_ID}" "" "ONNX model"
  WriteRegStr HKCU "Software\Classes\${PROG_ID}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROG_ID}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
  ; SHCNE_ASSOCCHANGED: Explorer picks up the new association without a log-off.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  ReadRegStr $0 HKCU "Software\Classes\.onnx" ""
  StrCmp $0 "${PROG_ID}" 0 +2
    DeleteRegValue HKCU "Software\Classes\.onnx" ""
  DeleteRegValue HKCU "Software\Classes\.onnx\OpenWithProgids" "${PROG_ID}"
  DeleteRegKey HKCU "Software\Classes\${PROG_ID}"
  DeleteRegKey HKCU "Software\Classes\Applications\${APP_EXE}"
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; Only what the installer put there: never RMDir /r a folder the user may have chosen for other things.
  Delete "$INSTDIR\onnxstudio-selftest.json"
  Delete "$INSTDIR\uninstall.exe"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  RMDir "$INSTDIR"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
