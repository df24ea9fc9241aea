; Inno Setup 6 script: a per-user installer of the one-folder build, without administrator rights.
;
;     pyinstaller --noconfirm pyinstaller.spec           ->  dist\KhuyenHoc\   (see docs\windows-build.md)
;     iscc /DAppVersion=x.y.z installer\khuyenhoc.iss    ->  dist\KhuyenHoc-x.y.z-setup.exe
;
; The version comes from the command line (docs\windows-build.md reads it from khuyenhoc_desktop.__version__), so it
; is written down in one place only. The file is UTF-8 with a BOM, which Inno Setup before 6.3 needs to read the
; Vietnamese below.
;
; Inno Setup's own installation has no Vietnamese translation of its wizard; its translators' unofficial
; Vietnamese.isl (Inno Setup's "Unofficial translations" page, under Inno Setup's licence) is used when it is placed
; beside this script, as docs\windows-build.md says, and the wizard then speaks Vietnamese throughout. Without it the
; wizard's own pages are English; what the officer keeps seeing afterwards - the shortcuts, the desktop-shortcut
; choice and the last page's "start now" - is Vietnamese either way.
;
; The uninstaller removes only what this installer put in the program folder. The association's data lives apart,
; in %LOCALAPPDATA%\khuyenhoc\ (platformdirs), and is never named here: there is no [UninstallDelete] section.

#ifndef AppVersion
  #error Thiếu số phiên bản: iscc /DAppVersion=x.y.z installer\khuyenhoc.iss
#endif

#define AppName "Khuyến học"
#define Publisher "Hội Khuyến học"
#define BuildDir "..\dist\KhuyenHoc"
#define AppExe "khuyenhoc.exe"

[Setup]
; Keeps upgrades and the uninstaller tied to this program across versions: never change it.
AppId={{5E445C7D-583F-47EF-AB43-43EC1103BBEC}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
VersionInfoVersion={#AppVersion}
VersionInfoCompany={#Publisher}
VersionInfoProductName={#AppName}
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\KhuyenHoc
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=KhuyenHoc-{#AppVersion}-setup
SetupIconFile=..\resources\khuyenhoc.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
#ifexist "Vietnamese.isl"
Name: "vietnamese"; MessagesFile: "Vietnamese.isl"
#else
Name: "english"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
DesktopShortcut=Tạo lối tắt trên màn hình nền
Shortcuts=Lối tắt:
StartNow=Mở phần mềm Khuyến học ngay

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopShortcut}"; GroupDescription: "{cm:Shortcuts}"; Flags: unchecked

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:StartNow}"; Flags: nowait postinstall skipifsilent
