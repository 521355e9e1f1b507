<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
  <context>
    <name>BoxesView</name>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="30" />
      <source>score ≥ </source>
      <translation>점수 ≥ </translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="30" />
      <source>Boxes scoring below this are hidden; overlapping boxes of one class are merged (IoU 0.45)</source>
      <translation>이 점수보다 낮은 상자는 숨기고, 같은 클래스의 겹치는 상자는 하나로 합칩니다 (IoU 0.45)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="30" />
      <source>Class</source>
      <translation>클래스</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="30" />
      <source>Score</source>
      <translation>점수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="30" />
      <source>Box (x0, y0, x1, y1)</source>
      <translation>상자 (x0, y0, x1, y1)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="30" />
      <source>Boxes: {0} ({1} output; coordinates in the model input's pixels)</source>
      <translation>상자: {0}개 ({1} 출력; 좌표는 모델 입력의 픽셀 단위)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="81" />
      <source>{0} segmentation</source>
      <translation>{0} 분할</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="83" />
      <source>{0} pose</source>
      <translation>{0} 자세</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="1" />
      <source>Boxes: {0} ({1}; coordinates in the model input's pixels)</source>
      <translation>상자: {0}개 ({1}; 좌표는 모델 입력의 픽셀 기준)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="1" />
      <source>{0} oriented boxes</source>
      <translation>{0} 회전 상자</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="1" />
      <source>People: {0} (MoveNet; keypoints scoring {1} or more drawn; coordinates in the model input's pixels)</source>
      <translation>사람: {0}명 (MoveNet; 점수 {1} 이상인 키포인트 표시; 좌표는 모델 입력의 픽셀 기준)</translation>
    </message>
  </context>
  <context>
    <name>BenchmarkSettings</name>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="18" />
      <source>Iterations run before measuring (not in the statistics)</source>
      <translation>측정 전에 실행하는 반복 (통계에 포함되지 않음)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="20" />
      <source>for a duration</source>
      <translation>정해진 시간 동안</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="21" />
      <source>for a number of iterations</source>
      <translation>정해진 횟수만큼</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="29" />
      <source>IO binding (inputs and outputs bound once)</source>
      <translation>IO 바인딩 (입력과 출력을 한 번만 바인딩)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="35" />
      <source>Warm-up</source>
      <translation>워밍업</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="38" />
      <source>Measure</source>
      <translation>측정</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="31" />
      <source>Duration</source>
      <translation>시간</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="32" />
      <source>Iterations</source>
      <translation>반복 횟수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="57" />
      <source>Benchmark at each value of a free dim (batch, a sequence length) in one session</source>
      <translation>자유 차원(배치, 시퀀스 길이)의 각 값에서 한 세션으로 벤치마크</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="61" />
      <source>Values: 1, 2, 4, 8 or a range 1..64 (its powers of two)</source>
      <translation>값: 1, 2, 4, 8 또는 범위 1..64 (2의 거듭제곱)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="62" />
      <source>Sweep</source>
      <translation>스윕</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/benchmark_settings.py" line="77" />
      <source>none</source>
      <translation>없음</translation>
    </message>
  </context>
  <context>
    <name>ExceptionHook</name>
    <message>
      <location filename="../../onnxstudio/ui/errors_dialog.py" line="70" />
      <source>Unexpected error</source>
      <translation>예기치 않은 오류</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/errors_dialog.py" line="71" />
      <source>Something went wrong: {0}</source>
      <translation>문제가 발생했습니다: {0}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/errors_dialog.py" line="72" />
      <source>The app keeps running. Details were written to {0}.</source>
      <translation>앱은 계속 실행됩니다. 자세한 내용은 {0}에 기록되었습니다.</translation>
    </message>
  </context>
  <context>
    <name>HistoryPanel</name>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="34" />
      <source>Overlay</source>
      <translation>겹쳐 보기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="34" />
      <source>Run</source>
      <translation>실행</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="35" />
      <source>Model</source>
      <translation>모델</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="35" />
      <source>Provider</source>
      <translation>프로바이더</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="36" />
      <source>Kind</source>
      <translation>종류</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="36" />
      <source>Iterations</source>
      <translation>반복 횟수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="37" />
      <source>Mean</source>
      <translation>평균</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="38" />
      <source>Throughput</source>
      <translation>처리량</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="38" />
      <source>Session</source>
      <translation>세션</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="39" />
      <source>First run</source>
      <translation>첫 실행</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="52" />
      <source>Export CSV…</source>
      <translation>CSV로 내보내기…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="53" />
      <source>Export JSON…</source>
      <translation>JSON으로 내보내기…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="54" />
      <source>Save chart as PNG…</source>
      <translation>차트를 PNG로 저장…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="55" />
      <source>Clear</source>
      <translation>지우기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="60" />
      <source>Every run of this session with its statistics, as CSV</source>
      <translation>이번 세션의 모든 실행과 통계를 CSV로</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="142" />
      <source>CSV files (*.csv)</source>
      <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="142" />
      <source>JSON files (*.json)</source>
      <translation>JSON 파일 (*.json)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/history_panel.py" line="143" />
      <source>Export run history</source>
      <translation>실행 기록 내보내기</translation>
    </message>
  </context>
  <context>
    <name>ImageOutputView</name>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="96" />
      <source>Blend over the input image</source>
      <translation>입력 이미지 위에 겹치기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="103" />
      <source>Opacity of the output over the input</source>
      <translation>입력 위 출력의 불투명도</translation>
    </message>
  </context>
  <context>
    <name>InputEditor</name>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="77" />
      <source>Image</source>
      <translation>이미지</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="77" />
      <source>Array file</source>
      <translation>배열 파일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="77" />
      <source>Random</source>
      <translation>무작위</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="78" />
      <source>Constant</source>
      <translation>상수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="78" />
      <source>Literal</source>
      <translation>리터럴</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="81" />
      <source>Where this input's values come from</source>
      <translation>이 입력의 값을 가져올 곳</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="83" />
      <source>Image file or folder (one batch)</source>
      <translation>이미지 파일 또는 폴더 (한 배치)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="85" />
      <source>Preprocessing</source>
      <translation>전처리</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="95" />
      <source>.npy, .npz, .pb, .wav or .csv file</source>
      <translation>.npy, .npz, .pb, .wav 또는 .csv 파일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="102" />
      <location filename="../../onnxstudio/ui/input_editor.py" line="103" />
      <source>default</source>
      <translation>기본값</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="107" />
      <source>Seed</source>
      <translation>시드</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="108" />
      <source>Distribution</source>
      <translation>분포</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="109" />
      <source>Low / mean</source>
      <translation>최소 / 평균</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="110" />
      <source>High / std</source>
      <translation>최대 / 표준편차</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="115" />
      <location filename="../../onnxstudio/ui/input_editor.py" line="120" />
      <source>Value</source>
      <translation>값</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="144" />
      <source>Source</source>
      <translation>소스</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="162" />
      <source>Browse…</source>
      <translation>찾아보기…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="183" />
      <source>Images ({0})</source>
      <translation>이미지 ({0})</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="184" />
      <source>Arrays ({0})</source>
      <translation>배열 ({0})</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="185" />
      <source>Choose a file for {0}</source>
      <translation>{0}에 사용할 파일 선택</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/input_editor.py" line="268" />
      <source>choose a file (or drop one here)</source>
      <translation>파일을 선택하세요 (또는 여기에 끌어 놓으세요)</translation>
    </message>
    <message>
      <source>input: {0} pictures, one a run (shown: the first)</source>
      <translation>입력: 사진 {0}장, 한 번 실행에 한 장씩 (표시: 첫 번째)</translation>
    </message>
      <message>
      <source>Positions</source>
      <translation>위치</translation>
    </message>
    <message>
      <source>0, 1, 2, … along the last axis: a prompt&apos;s token positions</source>
      <translation>마지막 축을 따라 0, 1, 2, …: 프롬프트 토큰의 위치</translation>
    </message>
    <message>
      <source>Picture size</source>
      <translation>사진 크기</translation>
    </message>
    <message>
      <source>The height and width of {0} as it is fed, a row for each picture: it follows the picture</source>
      <translation>입력되는 {0}의 높이와 너비, 사진마다 한 행: 사진을 따라갑니다</translation>
    </message>
    <message>
      <source>The height and width of {0} as it is fed ({1} x {2}), a row for each picture: it follows the picture</source>
      <translation>입력되는 {0}의 높이와 너비 ({1} x {2}), 사진마다 한 행: 사진을 따라갑니다</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>텍스트</translation>
    </message>
    <message>
      <source>Text for the tokenizer; a text a line for a batch</source>
      <translation>토크나이저에 넣을 텍스트. 배치는 한 줄에 텍스트 하나씩</translation>
    </message>
    <message>
      <source>Turned into token ids by {0}, beside the model. First line: the question; second line: the context the model answers it from</source>
      <translation>모델 옆의 {0}(으)로 토큰 ID가 됩니다. 첫 줄: 질문, 둘째 줄: 모델이 답을 찾을 본문</translation>
    </message>
    <message>
      <source>A question on the first line, its context on the second</source>
      <translation>첫 줄에 질문, 둘째 줄에 본문</translation>
    </message>
    <message>
      <source>Turned into token ids by {0}, beside the model. A text a line: several lines are a batch, a row each, padded to the longest (the attention mask is 0 over the padding)</source>
      <translation>모델 옆의 {0}(으)로 토큰 ID가 됩니다. 한 줄에 텍스트 하나: 여러 줄은 한 행씩인 배치가 되고, 가장 긴 텍스트에 맞춰 패딩됩니다(어텐션 마스크는 패딩에서 0)</translation>
    </message>
</context>
  <context>
    <name>InputsPanel</name>
    <message>
      <location filename="../../onnxstudio/ui/inputs_panel.py" line="60" />
      <source>{0} dim {1}</source>
      <translation>{0} 차원 {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/inputs_panel.py" line="24" />
      <source>Symbolic dimensions</source>
      <translation>심볼릭 차원</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/inputs_panel.py" line="25" />
      <source>Sizes for named dimensions; 'auto' lets the source decide (an image keeps its size; random data uses 1, 224 for a picture's sides, 512 for audio samples)</source>
      <translation>이름 있는 차원의 크기. '자동'이면 소스가 정합니다 (이미지는 원래 크기, 무작위 데이터는 1, 그림의 변은 224, 오디오 샘플은 512)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/inputs_panel.py" line="55" />
      <source>auto</source>
      <translation>자동</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/inputs_panel.py" line="66" />
      <source>This model takes no inputs.</source>
      <translation>이 모델은 입력이 없습니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/inputs_panel.py" line="71" />
      <source>Set from the model's own pipeline ({0}: a text recogniser's line height, the picture size it was trained or is prepared at); set another value to run at it</source>
      <translation>모델 자체 파이프라인에서 설정됨 ({0}: 텍스트 인식기의 줄 높이, 학습되었거나 전처리되는 그림 크기). 다른 값으로 실행하려면 바꾸세요</translation>
    </message>
      <message>
      <source>Follows {0} unless you set it</source>
      <translation>직접 설정하지 않으면 {0}을(를) 따릅니다</translation>
    </message>
    <message>
      <source>auto ({0})</source>
      <translation>자동 ({0})</translation>
    </message>
    <message>
      <source>The length of {0} (axis {1}): it follows {0} until you set another value</source>
      <translation>{0}의 길이(축 {1}): 다른 값을 설정할 때까지 {0}을(를) 따릅니다</translation>
    </message>
</context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="143" />
      <source>&amp;Open…</source>
      <translation>열기(&amp;O)…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="144" />
      <location filename="../../onnxstudio/ui/main_window.py" line="214" />
      <source>Open an ONNX model</source>
      <translation>ONNX 모델 열기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="145" />
      <location filename="../../onnxstudio/ui/main_window.py" line="166" />
      <source>&amp;Run</source>
      <translation>실행(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="145" />
      <source>Run the model once</source>
      <translation>모델을 한 번 실행</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="147" />
      <source>&amp;Benchmark</source>
      <translation>벤치마크(&amp;B)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="148" />
      <source>Benchmark the model with the settings on the left</source>
      <translation>왼쪽 설정으로 모델 벤치마크</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="149" />
      <source>&amp;Stop</source>
      <translation>중지(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="149" />
      <source>Stop the run or benchmark</source>
      <translation>실행 또는 벤치마크 중지</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="151" />
      <source>&amp;Close model</source>
      <translation>모델 닫기(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="152" />
      <source>Close the model and show the start page</source>
      <translation>모델을 닫고 시작 화면 표시</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="153" />
      <source>&amp;Quit</source>
      <translation>종료(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="153" />
      <source>Quit ONNX Studio</source>
      <translation>ONNX Studio 종료</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="160" />
      <source>&amp;File</source>
      <translation>파일(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="162" />
      <source>Open &amp;Recent</source>
      <translation>최근 파일(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="169" />
      <source>&amp;Settings</source>
      <translation>설정(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="170" />
      <source>&amp;Language</source>
      <translation>언어(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="172" />
      <source>System default</source>
      <translation>시스템 기본값</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="178" />
      <source>&amp;Theme</source>
      <translation>테마(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="180" />
      <source>Follow the system</source>
      <translation>시스템 설정 따르기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="180" />
      <source>Light</source>
      <translation>밝게</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="181" />
      <source>Dark</source>
      <translation>어둡게</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="187" />
      <source>&amp;Help</source>
      <translation>도움말(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="188" />
      <source>&amp;About ONNX Studio</source>
      <translation>ONNX Studio 정보(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="189" />
      <source>Main</source>
      <translation>기본</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="197" />
      <source>The language changes the next time ONNX Studio starts.</source>
      <translation>언어는 ONNX Studio를 다음에 시작할 때 바뀝니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="207" />
      <source>About ONNX Studio</source>
      <translation>ONNX Studio 정보</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="208" />
      <source>&lt;b&gt;ONNX Studio&lt;/b&gt; {0}&lt;br&gt;Inspect, feed, run and benchmark ONNX models.&lt;br&gt;Settings: {1}</source>
      <translation>&lt;b&gt;ONNX Studio&lt;/b&gt; {0}&lt;br&gt;ONNX 모델을 살펴보고, 입력을 넣고, 실행하고, 벤치마크합니다.&lt;br&gt;설정: {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="215" />
      <source>ONNX models (*.onnx);;All files (*)</source>
      <translation>ONNX 모델 (*.onnx);;모든 파일 (*)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="225" />
      <source>Opening {0}…</source>
      <translation>{0} 여는 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="244" />
      <source>Opened {0} in {1:.0f} ms; checking the model…</source>
      <translation>{0}을(를) {1:.0f} ms 만에 열었습니다. 모델 검사 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="264" />
      <source>Checked {0}: {1}</source>
      <translation>{0} 검사 완료: {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="265" />
      <source>no problems</source>
      <translation>문제 없음</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="267" />
      <source>see the warnings in the Model tab</source>
      <translation>모델 탭의 경고를 확인하세요</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="275" />
      <source>Cannot open {0}: {1}</source>
      <translation>{0}을(를) 열 수 없습니다: {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="298" />
      <source>Clear the list</source>
      <translation>목록 지우기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="307" />
      <source>ONNX Studio</source>
      <translation>ONNX Studio</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="163" />
      <source>&amp;Profile</source>
      <translation>프로파일(&amp;P)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="164" />
      <source>Profile the model: time per node, op type and execution provider</source>
      <translation>모델 프로파일: 노드, 연산 종류, 실행 공급자별 시간</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="165" />
      <source>&amp;Compare outputs</source>
      <translation>출력 비교(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="166" />
      <source>Run the inputs on a second session (unoptimized, another provider, another model) and compare the outputs</source>
      <translation>입력을 두 번째 세션(최적화 없음, 다른 공급자, 다른 모델)에서 실행하고 출력을 비교</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="179" />
      <source>Copy &amp;command line</source>
      <translation>명령줄 복사(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="180" />
      <source>Copy the onnxstudio command that repeats the open tab's run, benchmark, profile or comparison with these inputs and options</source>
      <translation>지금 탭의 실행, 벤치마크, 프로파일 또는 비교를 이 입력과 옵션으로 되풀이하는 onnxstudio 명령을 복사</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="426" />
      <source>Copied: {0}</source>
      <translation>복사함: {0}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="182" />
      <source>Export &amp;report…</source>
      <translation>보고서 내보내기(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="183" />
      <source>Save a Markdown report: environment, model, options, inputs, results and the commands that repeat them</source>
      <translation>Markdown 보고서 저장: 환경, 모델, 옵션, 입력, 결과, 그리고 이를 되풀이하는 명령</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="425" />
      <source>Export report</source>
      <translation>보고서 내보내기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="425" />
      <source>Markdown (*.md)</source>
      <translation>Markdown (*.md)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="436" />
      <source>Could not save {0}: {1}</source>
      <translation>{0}을(를) 저장할 수 없습니다: {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="438" />
      <source>Report saved to {0}.</source>
      <translation>보고서를 {0}에 저장했습니다.</translation>
    </message>
    <message>
      <source>Save &amp;optimized model…</source>
      <translation>최적화된 모델 저장(&amp;O)…</translation>
    </message>
    <message>
      <source>Save the graph as onnxruntime's optimizer leaves it, at the optimization level and provider chosen on the left, and say what changed</source>
      <translation>왼쪽에서 고른 최적화 수준과 실행 공급자로 onnxruntime 최적화기가 바꾼 그래프를 저장하고 무엇이 바뀌었는지 알려 줍니다</translation>
    </message>
    <message>
      <source>Save optimized model</source>
      <translation>최적화된 모델 저장</translation>
    </message>
    <message>
      <source>ONNX models (*.onnx)</source>
      <translation>ONNX 모델 (*.onnx)</translation>
    </message>
      <message>
      <source>&amp;Generate text…</source>
      <translation>텍스트 생성(&amp;G)…</translation>
    </message>
    <message>
      <source>A text decoder, exported with its key/value cache or without: generate tokens from the prompt in input_ids, timing the prompt apart from each new token</source>
      <translation>키/값 캐시와 함께, 또는 캐시 없이 내보낸 텍스트 디코더: input_ids의 프롬프트로부터 토큰을 생성하고, 프롬프트 처리 시간과 새 토큰마다의 시간을 따로 잽니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="200" />
      <source>Re&amp;load model</source>
      <translation>다시 불러오기(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="200" />
      <source>Read the model file again, as it is on disk now (it reloads by itself when it changes); the inputs stay as they are where the model&apos;s inputs did not change</source>
      <translation>모델 파일을 지금 디스크에 있는 그대로 다시 읽습니다(파일이 바뀌면 저절로 다시 읽음). 모델의 입력이 바뀌지 않았다면 입력 설정은 그대로 둡니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="200" />
      <source>Reloaded {0} in {1:.0f} ms; checking the model…</source>
      <translation>{0}을(를) {1:.0f} ms에 다시 불러옴; 모델 검사 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="200" />
      <source>{0} changed on disk; it is read again once this run ends.</source>
      <translation>{0}이(가) 디스크에서 바뀌었습니다. 이 실행이 끝나면 다시 읽습니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/main_window.py" line="290" />
      <source> (its folder also holds {0})</source>
      <translation> (같은 폴더에 {0}도 있음)</translation>
    </message>
</context>
  <context>
    <name>ModelPanel</name>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="35" />
      <source>Copy as text</source>
      <translation>텍스트로 복사</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="36" />
      <source>Copy the whole model summary to the clipboard as plain text</source>
      <translation>모델 요약 전체를 일반 텍스트로 클립보드에 복사</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="68" />
      <source>unknown</source>
      <translation>알 수 없음</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="71" />
      <source>File</source>
      <translation>파일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="72" />
      <source>File size</source>
      <translation>파일 크기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="73" />
      <source>Producer</source>
      <translation>생성 도구</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="74" />
      <source>IR version</source>
      <translation>IR 버전</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="75" />
      <source>Opsets</source>
      <translation>Opset</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="76" />
      <source>Nodes</source>
      <translation>노드</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="76" />
      <source>{0} ({1} in the main graph, {2} subgraphs, {3} functions)</source>
      <translation>{0}개 (메인 그래프 {1}개, 서브그래프 {2}개, 함수 {3}개)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="78" />
      <source>Parameters</source>
      <translation>파라미터</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="78" />
      <source>{0} in {1} initializers, {2}</source>
      <translation>이니셜라이저 {1}개에 {0}, {2}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="85" />
      <source>counting… ({0} initializers)</source>
      <translation>세는 중… (이니셜라이저 {0}개)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="87" />
      <source>In nodes</source>
      <translation>노드 안</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="87" />
      <source>{0} in {1} tensors held by nodes (Constant values), {2}</source>
      <translation>노드가 가진 텐서 {1}개(Constant 값)에 {0}, {2}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="82" />
      <source>Domain</source>
      <translation>도메인</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="84" />
      <source>Model version</source>
      <translation>모델 버전</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="90" />
      <source>checker and shape inference are running…</source>
      <translation>검사기와 형상 추론을 실행하는 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="91" />
      <source>Warnings</source>
      <translation>경고</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="95" />
      <source>None: every op has a kernel in the installed onnxruntime.</source>
      <translation>없음: 설치된 onnxruntime에 모든 연산자의 커널이 있습니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="96" />
      <source>Inputs</source>
      <translation>입력</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="97" />
      <source>Outputs</source>
      <translation>출력</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="99" />
      <source>Metadata</source>
      <translation>메타데이터</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="101" />
      <source>Operators</source>
      <translation>연산자</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="109" />
      <source>External data</source>
      <translation>외부 데이터</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="121" />
      <source>none</source>
      <translation>없음</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="122" />
      <source>Name</source>
      <translation>이름</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="122" />
      <source>Type</source>
      <translation>타입</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="123" />
      <source>Shape</source>
      <translation>형상</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="1" />
      <source>Beside the model</source>
      <translation>모델 옆의 파일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="109" />
      <source>Compute</source>
      <translation>연산량</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="146" />
      <source>{0} MACs ({1}) a run</source>
      <translation>실행당 {0} MAC ({1})</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="148" />
      <source>at {0}</source>
      <translation>조건: {0}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="152" />
      <source>{0} nodes not counted (shapes unknown)</source>
      <translation>노드 {0}개는 세지 않음 (모양을 알 수 없음)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="154" />
      <source>{0} nodes inside If/Loop/Scan bodies not counted</source>
      <translation>If/Loop/Scan 본문 안의 노드 {0}개는 세지 않음</translation>
    </message>
      <message>
      <location filename="../../onnxstudio/ui/model_panel.py" line="152" />
      <source>{0} nodes counted with shapes from a run (inference could not tell them)</source>
      <translation>노드 {0}개는 실행에서 얻은 모양으로 셈 (형상 추론으로는 알 수 없었음)</translation>
    </message>
</context>
  <context>
    <name>NodeListPanel</name>
    <message>
      <location filename="../../onnxstudio/ui/node_list.py" line="113" />
      <source>Filter nodes by op, name, tensor or attribute…</source>
      <translation>연산자, 이름, 텐서 또는 속성으로 노드 필터…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/node_list.py" line="144" />
      <source>{0} of {1} nodes</source>
      <translation>노드 {1}개 중 {0}개</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/node_list.py" line="248" />
      <source>Filtering {0} nodes…</source>
      <translation>노드 {0}개 필터링 중…</translation>
    </message>
    <message>
      <source>Run the model and show this node's outputs</source>
      <translation>모델을 실행하고 이 노드의 출력 보기</translation>
    </message>
  </context>
  <context>
    <name>NodeTableModel</name>
    <message>
      <location filename="../../onnxstudio/ui/node_list.py" line="45" />
      <source>Op</source>
      <translation>연산자</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/node_list.py" line="45" />
      <source>Name</source>
      <translation>이름</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/node_list.py" line="46" />
      <source>Inputs</source>
      <translation>입력</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/node_list.py" line="46" />
      <source>Outputs</source>
      <translation>출력</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/node_list.py" line="47" />
      <source>Attributes</source>
      <translation>속성</translation>
    </message>
  </context>
  <context>
    <name>OutputsPanel</name>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="39" />
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="73" />
      <source>Run the model to see its outputs.</source>
      <translation>모델을 실행하면 출력이 여기에 나타납니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="44" />
      <source>Save…</source>
      <translation>저장…</translation>
    </message>
    <message>
      <source>Save this output as a NumPy array (.npy) or a table (.csv)</source>
      <translation>이 출력을 NumPy 배열(.npy) 또는 표(.csv)로 저장</translation>
    </message>
    <message>
      <source>CSV tables (*.csv)</source>
      <translation>CSV 표 (*.csv)</translation>
    </message>
    <message>
      <source>Cannot write {0}: {1}</source>
      <translation>{0}을(를) 쓸 수 없습니다: {1}</translation>
    </message>
    <message>
      <source>&lt;b&gt;{0}&lt;/b&gt;  {1}: {2} rows of {3} classes ({4})</source>
      <translation>&lt;b&gt;{0}&lt;/b&gt;  {1}: {2}개 행, {3}개 클래스 ({4})</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="46" />
      <source>Labels file…</source>
      <translation>레이블 파일…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="90" />
      <source>Labels: {0}…</source>
      <translation>레이블: {0}…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="202" />
      <source>Cannot read {0}: {1}</source>
      <translation>{0}을(를) 읽을 수 없습니다: {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="47" />
      <source>Class names for top-k: a JSON list or one label per line</source>
      <translation>top-k의 클래스 이름: JSON 목록 또는 한 줄에 하나씩</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="118" />
      <source>Value</source>
      <translation>값</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="134" />
      <source>Top-k</source>
      <translation>Top-k</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="136" />
      <source>Image</source>
      <translation>이미지</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="138" />
      <source>Mask</source>
      <translation>마스크</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="140" />
      <source>Heatmap</source>
      <translation>히트맵</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="141" />
      <source>Values</source>
      <translation>값 표</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="150" />
      <source>Save output</source>
      <translation>출력 저장</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="151" />
      <source>NumPy arrays (*.npy)</source>
      <translation>NumPy 배열 (*.npy)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="161" />
      <source>Labels file</source>
      <translation>레이블 파일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="162" />
      <source>Labels (*.txt *.json *.names);;All files (*)</source>
      <translation>레이블 (*.txt *.json *.names);;모든 파일 (*)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="137" />
      <source>By row</source>
      <translation>행별</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="140" />
      <source>Boxes</source>
      <translation>상자</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="171" />
      <source>Regions</source>
      <translation>영역</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="177" />
      <source>Vector</source>
      <translation>벡터</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="1" />
      <source>People</source>
      <translation>사람</translation>
    </message>
    <message>
      <source>Stop showing them</source>
      <translation>그만 보기</translation>
    </message>
    <message>
      <source>Run the model as it is again, with its own outputs only</source>
      <translation>모델을 원래대로, 자체 출력만으로 다시 실행</translation>
    </message>
    <message>
      <source>Shown with each run, from inside the model (▸): {0}</source>
      <translation>실행할 때마다 함께 표시되는 모델 내부 텐서 (▸): {0}</translation>
    </message>
    <message>
      <source> and {0} more</source>
      <translation> 외 {0}개</translation>
    </message>
    <message>
      <source>inside the model: {0}</source>
      <translation>모델 내부: {0}</translation>
    </message>
    <message>
      <source>Channels</source>
      <translation>채널</translation>
    </message>
    <message>
      <source>The outputs of all the pictures (a row each), or of one, on that picture</source>
      <translation>모든 사진의 출력(사진마다 한 행) 또는 한 사진의 출력을 그 사진 위에 표시</translation>
    </message>
    <message>
      <source>All {0} pictures</source>
      <translation>사진 {0}장 모두</translation>
    </message>
  <message>
      <location filename="../../onnxstudio/ui/outputs_panel.py" line="300" />
      <source>Nearest</source>
      <translation>가까운 순</translation>
    </message>
  </context>
  <context>
    <name>ProvidersPanel</name>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="42" />
      <source>Provider</source>
      <translation>프로바이더</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="42" />
      <source>Status</source>
      <translation>상태</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="55" />
      <location filename="../../onnxstudio/ui/providers_panel.py" line="148" />
      <source>default</source>
      <translation>기본값</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="56" />
      <source>Intra-op threads (0: onnxruntime's default, one per physical core)</source>
      <translation>연산자 내부 스레드 수 (0: onnxruntime 기본값, 물리 코어당 하나)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="60" />
      <source>Graph optimization level</source>
      <translation>그래프 최적화 수준</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="61" />
      <source>Parallel execution mode</source>
      <translation>병렬 실행 모드</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="62" />
      <source>Allow fallback to CPU</source>
      <translation>CPU로 대체 허용</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="63" />
      <source>Accept a session that did not get the chosen provider (always reported)</source>
      <translation>선택한 프로바이더를 얻지 못한 세션도 허용 (항상 알려 줌)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="69" />
      <location filename="../../onnxstudio/ui/providers_panel.py" line="101" />
      <source>Check providers</source>
      <translation>프로바이더 확인</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="70" />
      <source>Create a tiny session with every provider of this onnxruntime build to see which really load here (takes a few seconds)</source>
      <translation>이 onnxruntime 빌드의 모든 프로바이더로 작은 세션을 만들어 여기서 실제로 로드되는지 확인합니다 (몇 초 걸림)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="74" />
      <location filename="../../onnxstudio/ui/providers_panel.py" line="192" />
      <source>No session yet.</source>
      <translation>아직 세션이 없습니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="78" />
      <source>Threads</source>
      <translation>스레드</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="79" />
      <source>Optimization</source>
      <translation>최적화</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="95" />
      <source>Checking…</source>
      <translation>확인 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="109" />
      <source>available</source>
      <translation>사용 가능</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="109" />
      <source>unavailable</source>
      <translation>사용 불가</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="112" />
      <source>ready</source>
      <translation>준비됨</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="141" />
      <source>{0} is available.</source>
      <translation>{0}을(를) 사용할 수 있습니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="161" />
      <source>choose an execution provider</source>
      <translation>실행 프로바이더를 선택하세요</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="196" />
      <source>Session uses: {0} (created in {1:.0f} ms{2})</source>
      <translation>세션 사용 중: {0} ({1:.0f} ms 만에 생성{2})</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="197" />
      <source>, from cache</source>
      <translation>, 캐시에서</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/providers_panel.py" line="200" />
      <source>Fell back: {0} was requested but not granted.</source>
      <translation>대체됨: {0}을(를) 요청했지만 받지 못했습니다.</translation>
    </message>
  </context>
  <context>
    <name>RecipeEditor</name>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="49" />
      <source>Size (H × W)</source>
      <translation>크기 (H × W)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="50" />
      <source>Colour</source>
      <translation>색상</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="51" />
      <source>Layout</source>
      <translation>레이아웃</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="52" />
      <source>Scale</source>
      <translation>스케일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="53" />
      <source>Normalise</source>
      <translation>정규화</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="54" />
      <source>Mean</source>
      <translation>평균</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="55" />
      <source>Std</source>
      <translation>표준편차</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="56" />
      <source>Target height; 0: the model's, or the image's own rounded to a multiple of 32</source>
      <translation>목표 높이. 0이면 모델의 높이, 없으면 이미지 원래 크기를 32의 배수로 맞춤</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="57" />
      <source>Target width; 0: the model's, or the image's own rounded to a multiple of 32</source>
      <translation>목표 너비. 0이면 모델의 너비, 없으면 이미지 원래 크기를 32의 배수로 맞춤</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="58" />
      <source>How the image is fitted to the target size</source>
      <translation>이미지를 목표 크기에 맞추는 방법</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="67" />
      <source>Resampling</source>
      <translation>리샘플링</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="68" />
      <source>Pillow's resampling filter used when resizing</source>
      <translation>크기를 바꿀 때 쓰는 Pillow 리샘플링 필터</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/recipe_editor.py" line="70" />
      <source>auto</source>
      <translation>자동</translation>
    </message>
  </context>
  <context>
    <name>StartPage</name>
    <message>
      <location filename="../../onnxstudio/ui/start_page.py" line="32" />
      <source>ONNX Studio</source>
      <translation>ONNX Studio</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/start_page.py" line="34" />
      <source>Inspect, feed, run and benchmark ONNX models on any execution provider.</source>
      <translation>어떤 실행 프로바이더에서든 ONNX 모델을 살펴보고, 입력을 넣고, 실행하고, 벤치마크하세요.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/start_page.py" line="44" />
      <source>Open a model…</source>
      <translation>모델 열기…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/start_page.py" line="47" />
      <source>Open an .onnx file (Ctrl+O)</source>
      <translation>.onnx 파일 열기 (Ctrl+O)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/start_page.py" line="49" />
      <source>…or drop an .onnx file anywhere on this window.</source>
      <translation>…또는 .onnx 파일을 창 어디에나 끌어 놓으세요.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/start_page.py" line="54" />
      <source>Bundled samples</source>
      <translation>기본 제공 샘플</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/start_page.py" line="56" />
      <source>Recent files</source>
      <translation>최근 파일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/start_page.py" line="58" />
      <source>Models you open appear here.</source>
      <translation>연 모델이 여기에 표시됩니다.</translation>
    </message>
  </context>
  <context>
    <name>TableOutputView</name>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="195" />
      <source>Slice</source>
      <translation>슬라이스</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="200" />
      <source>Index along dimension {0} (size {1})</source>
      <translation>차원 {0}의 인덱스 (크기 {1})</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>복사</translation>
    </message>
  </context>
  <context>
    <name>TimingCharts</name>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="63" />
      <location filename="../../onnxstudio/ui/timing_charts.py" line="79" />
      <source>latency (ms)</source>
      <translation>지연 시간 (ms)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="64" />
      <source>iteration</source>
      <translation>반복</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="59" />
      <source>Latency per iteration: &lt;span style='color:#7f9fe0'&gt;p5–p95 band&lt;/span&gt;, &lt;span style='color:#4a6fb5'&gt;maximum (dots)&lt;/span&gt;, &lt;span style='color:#e8590c'&gt;rolling median ({0})&lt;/span&gt;</source>
      <translation>반복별 지연 시간: &lt;span style='color:#7f9fe0'&gt;p5–p95 구간&lt;/span&gt;, &lt;span style='color:#4a6fb5'&gt;최댓값 (점)&lt;/span&gt;, &lt;span style='color:#e8590c'&gt;이동 중앙값 ({0})&lt;/span&gt;</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="78" />
      <source>Latency histogram</source>
      <translation>지연 시간 히스토그램</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="80" />
      <source>share of iterations</source>
      <translation>반복 비율</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="102" />
      <source>Iterations</source>
      <translation>반복 횟수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="102" />
      <source>Mean</source>
      <translation>평균</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="102" />
      <source>p50</source>
      <translation>p50</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="103" />
      <source>p90</source>
      <translation>p90</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="103" />
      <source>p99</source>
      <translation>p99</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="103" />
      <source>Throughput</source>
      <translation>처리량</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="104" />
      <source>CV</source>
      <translation>CV</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="104" />
      <source>Session creation</source>
      <translation>세션 생성</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="105" />
      <source>First run</source>
      <translation>첫 실행</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="105" />
      <source>Elapsed</source>
      <translation>경과 시간</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="116" />
      <source>Press Benchmark to measure the open model.</source>
      <translation>벤치마크를 누르면 열린 모델을 측정합니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="149" />
      <source>{0}: creating the session…</source>
      <translation>{0}: 세션 생성 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="203" />
      <source>stopped</source>
      <translation>중지됨</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="203" />
      <source>done</source>
      <translation>완료</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="204" />
      <source>{0}: {1}, {2} iterations on {3}</source>
      <translation>{0}: {1}, {3}에서 {2}회 반복</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="324" />
      <source>{0}: measuring… {1:,} iterations</source>
      <translation>{0}: 측정 중… {1:,}회</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="326" />
      <source>{0}: warming up… {1:,} iterations</source>
      <translation>{0}: 워밍업 중… {1:,}회</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/timing_charts.py" line="350" />
      <source>{0:,.0f} /s</source>
      <translation>{0:,.0f} /초</translation>
    </message>
  </context>
  <context>
    <name>RegionsView</name>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="160" />
      <source>map &gt; </source>
      <translation>맵 &gt; </translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="160" />
      <source>Pixels over this probability form regions; a region's score is its mean probability (0.5 or more is kept)</source>
      <translation>이 확률을 넘는 픽셀이 영역을 이룹니다. 영역의 점수는 평균 확률입니다 (0.5 이상만 남김)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="160" />
      <source>Region</source>
      <translation>영역</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="160" />
      <source>Too many small regions to list: this map looks like noise at this threshold.</source>
      <translation>작은 영역이 너무 많아 나열할 수 없습니다: 이 임계값에서는 맵이 잡음처럼 보입니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/boxes_view.py" line="160" />
      <source>Regions: {0} (areas over the threshold, boxes grown as text detectors do; coordinates in the model input's pixels)</source>
      <translation>영역: {0}개 (임계값을 넘는 부분, 텍스트 검출기처럼 상자를 키움; 좌표는 모델 입력의 픽셀 단위)</translation>
    </message>
  </context>
  <context>
    <name>NearestView</name>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="130" />
      <source>nearest </source>
      <translation>가까운 순 </translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="130" />
      <source>classes per row </source>
      <translation>행마다 클래스 </translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="130" />
      <source>lowest first: another output names each row&apos;s lowest score (distances), so no probabilities</source>
      <translation>낮은 순: 다른 출력이 각 행의 가장 낮은 점수를 가리키므로(거리) 확률은 없음</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="130" />
      <source>Class</source>
      <translation>클래스</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="130" />
      <source>Distance</source>
      <translation>거리</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="130" />
      <source>Nearest class</source>
      <translation>가장 가까운 클래스</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="130" />
      <source>Next nearest</source>
      <translation>다음으로 가까운 클래스</translation>
    </message>
  </context>
  <context>
    <name>RowsView</name>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>top </source>
      <translation>상위 </translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>How many classes to list per row</source>
      <translation>행마다 나열할 클래스 수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>Best class</source>
      <translation>최고 클래스</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>Probability</source>
      <translation>확률</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>Score</source>
      <translation>점수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>Next best</source>
      <translation>다음 후보</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>{0} rows of {1} classes; read as CTC (blank first): «{2}»</source>
      <translation>{0}행 × {1}개 클래스; CTC로 읽은 결과(첫 번째가 공백 클래스): «{2}»</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>{0} rows of {1} classes; best per row: {2}</source>
      <translation>{0}행 × {1}개 클래스; 행별 최고: {2}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="240" />
      <source>{0} rows of {1} classes</source>
      <translation>{0}행 × {1}개 클래스</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>CSV로 내보내기…</translation>
    </message>
    <message>
      <source>Each row's best classes as a table: the row (its file), then class, probability and score, best first</source>
      <translation>행마다 가장 높은 클래스를 표로: 행(파일 이름), 그다음 클래스, 확률, 점수 순으로 높은 것부터</translation>
    </message>
    <message>
      <source>Export the best classes</source>
      <translation>가장 높은 클래스 내보내기</translation>
    </message>
    <message>
      <source>CSV tables (*.csv)</source>
      <translation>CSV 표 (*.csv)</translation>
    </message>
    <message>
      <source>Cannot write {0}: {1}</source>
      <translation>{0}을(를) 쓸 수 없습니다: {1}</translation>
    </message>
  </context>
  <context>
    <name>TopKView</name>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="37" />
      <source>top </source>
      <translation>상위 </translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="42" />
      <source>Class</source>
      <translation>클래스</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="42" />
      <source>Score</source>
      <translation>점수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="42" />
      <source>Probability</source>
      <translation>확률</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="63" />
      <source>scores are probabilities</source>
      <translation>점수가 확률입니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/output_views.py" line="64" />
      <source>scores look like logits: probabilities are their softmax</source>
      <translation>점수가 로짓으로 보입니다: 확률은 softmax 결과입니다</translation>
    </message>
  </context>
  <context>
    <name>Workspace</name>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="97" />
      <source>Execution provider</source>
      <translation>실행 프로바이더</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="125" />
      <source>Benchmark</source>
      <translation>벤치마크</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="96" />
      <source>Inputs</source>
      <translation>입력</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="109" />
      <source>Model</source>
      <translation>모델</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="110" />
      <source>Preparing the graph view…</source>
      <translation>그래프 보기 준비 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="111" />
      <source>Graph</source>
      <translation>그래프</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="112" />
      <source>Nodes</source>
      <translation>노드</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="113" />
      <source>Outputs</source>
      <translation>출력</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="114" />
      <source>Preparing the charts…</source>
      <translation>차트 준비 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="209" />
      <source>The graph view is not available; the Nodes tab lists every node.</source>
      <translation>그래프 보기를 사용할 수 없습니다. 노드 탭에 모든 노드가 있습니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="224" />
      <source>The graph view cannot show this model: {0}</source>
      <translation>그래프 보기로 이 모델을 표시할 수 없습니다: {0}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="248" />
      <source>Cannot use this provider: {0}</source>
      <translation>이 프로바이더를 사용할 수 없습니다: {0}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="291" />
      <source>Creating the session…</source>
      <translation>세션 생성 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="291" />
      <source>Running…</source>
      <translation>실행 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="292" />
      <source>Warming up…</source>
      <translation>워밍업 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="292" />
      <source>Measuring…</source>
      <translation>측정 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="300" />
      <source>{0} was requested but the session runs on {1}.</source>
      <translation>{0}을(를) 요청했지만 세션은 {1}에서 실행됩니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="325" />
      <source>Ran in {0:.2f} ms on {1}.</source>
      <translation>{1}에서 {0:.2f} ms 만에 실행했습니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="372" />
      <source>{0} of {1} outputs differ from {2}: {3}: {4}</source>
      <translation>출력 {1}개 중 {0}개가 {2}와 다릅니다: {3}: {4}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="375" />
      <source>Outputs match {0} (max abs diff {1:.3g}).</source>
      <translation>출력이 {0}와 일치합니다 (최대 절대 차이 {1:.3g}).</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="343" />
      <source>Benchmark {0}: {1:,} iterations, median {2:.4f} ms, {3:,.0f}/s.</source>
      <translation>벤치마크 {0}: {1:,}회 반복, 중앙값 {2:.4f} ms, {3:,.0f}/초.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="344" />
      <source>stopped</source>
      <translation>중지됨</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="344" />
      <source>done</source>
      <translation>완료</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="349" />
      <location filename="../../onnxstudio/ui/workspace.py" line="350" />
      <source>Stopped.</source>
      <translation>중지했습니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="362" />
      <source>Save chart</source>
      <translation>차트 저장</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="363" />
      <source>PNG images (*.png)</source>
      <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="1" />
      <source>Reference data</source>
      <translation>참조 데이터</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="1" />
      <source> (the first of {0} sets)</source>
      <translation> ({0}개 세트 중 첫 번째)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="1" />
      <source>{0}: its inputs feed the model; a run on them is checked against its outputs</source>
      <translation>{0}: 이 입력으로 모델을 실행하고, 그 실행 결과를 참조 출력과 비교합니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="1" />
      <source>Labels</source>
      <translation>레이블</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="1" />
      <source>{0}: {1} class names</source>
      <translation>{0}: 클래스 이름 {1}개</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="133" />
      <source>Profile</source>
      <translation>프로파일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="345" />
      <source>Profiling…</source>
      <translation>프로파일하는 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="454" />
      <source>Profiled {0} runs: median {1:.3f} ms; the slowest op type: {2}.</source>
      <translation>{0}회 실행 프로파일: 중앙값 {1:.3f} ms; 가장 오래 걸린 연산 종류: {2}.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="466" />
      <source>ms per run</source>
      <translation>실행당 ms</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="138" />
      <source>Compare</source>
      <translation>비교</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="351" />
      <source>Choose the model to compare with.</source>
      <translation>비교할 모델을 고르세요.</translation>
    </message>
    <message>
      <source>This session is unoptimized already (Optimization: disabled): B is the same model with every optimization.</source>
      <translation>이 세션은 이미 최적화하지 않았습니다(최적화: disabled). B는 모든 최적화를 적용한 같은 모델입니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="360" />
      <source>{0} takes inputs this model does not: {1}</source>
      <translation>{0}은(는) 이 모델에 없는 입력을 받습니다: {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="390" />
      <source>Comparing…</source>
      <translation>비교하는 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="506" />
      <source>{0} of {1} outputs differ: {2}: {3}</source>
      <translation>출력 {1}개 중 {0}개가 다름: {2}: {3}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="509" />
      <source>Every output agrees within rtol {0:g}, atol {1:g}.</source>
      <translation>모든 출력이 rtol {0:g}, atol {1:g} 안에서 일치합니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="143" />
      <source>History</source>
      <translation>기록</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="145" />
      <source>Sweep</source>
      <translation>스윕</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="579" />
      <source>Sweep {0}: {1} of {2} values done; at {0} = {3}, median {4:.4f} ms.</source>
      <translation>{0} 스윕: 값 {2}개 중 {1}개 완료; {0} = {3}에서 중앙값 {4:.4f} ms.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="334" />
      <source>Compute</source>
      <translation>연산량</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="334" />
      <source>{0} MACs a run, {1:.1%} of the model's</source>
      <translation>실행당 {0} MAC, 모델 전체의 {1:.1%}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="338" />
      <source>not counted: shape inference could not tell its shapes</source>
      <translation>세지 않음: 모양 추론으로 모양을 알 수 없음</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="719" />
      <source>{0}MACs per run</source>
      <translation>실행당 {0}MAC</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="349" />
      <source>Difference</source>
      <translation>차이</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="351" />
      <source>(where the difference starts)</source>
      <translation>(차이가 시작되는 곳)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="750" />
      <source>log10 max |A − B|</source>
      <translation>log10 최대 |A − B|</translation>
    </message>
    <message>
      <source>This node's outputs are the model's own: Run shows them.</source>
      <translation>이 노드의 출력은 모델 자체의 출력입니다: 실행하면 표시됩니다.</translation>
    </message>
    <message>
      <source>(level all keeps onnxruntime's ops for this CPU; choose extended for a portable model)</source>
      <translation>(all 수준은 이 CPU 전용 onnxruntime 연산자를 남깁니다. 다른 곳에서도 쓰려면 extended를 고르세요)</translation>
    </message>
    <message>
      <source>Saved {0}: {1}. It is in File → Open Recent.</source>
      <translation>{0} 저장됨: {1}. 파일 → 최근 파일에 있습니다.</translation>
    </message>
    <message>
      <source>Ran {0} pictures one at a time in {1:.2f} ms ({2:.2f} ms each) on {3}.</source>
      <translation>사진 {0}장을 한 장씩 {1:.2f} ms에 실행했습니다 (장당 {2:.2f} ms, {3}).</translation>
    </message>
    <message>
      <source>Last run</source>
      <translation>마지막 실행</translation>
    </message>
      <message>
      <source>{0} new tokens: the prompt&apos;s {1} in {2:.2f} ms</source>
      <translation>새 토큰 {0}개: 프롬프트 {1}개를 {2:.2f} ms에 처리</translation>
    </message>
    <message>
      <source>{0} new tokens: the encoder in {1:.2f} ms, the first token in {2:.2f} ms</source>
      <translation>새 토큰 {0}개: 인코더 {1:.2f} ms, 첫 토큰 {2:.2f} ms</translation>
    </message>
    <message>
      <source>{0} runs on its default inputs (random data): open it to give it yours</source>
      <translation>{0}은(는) 기본 입력(무작위 데이터)으로 실행됩니다: 직접 입력을 주려면 그 파일을 여세요</translation>
    </message>
    <message>
      <source>, then {0:.2f} ms a token ({1:.1f} tokens/s)</source>
      <translation>, 이후 토큰당 {0:.2f} ms (초당 {1:.1f} 토큰)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="500" />
      <source> (no key/value cache: each run reads the whole sequence so far)</source>
      <translation> (키/값 캐시 없음: 매 실행이 지금까지의 시퀀스 전체를 읽음)</translation>
    </message>
    <message>
      <source>Generated {0}.</source>
      <translation>생성 완료: {0}.</translation>
    </message>
    <message>
      <source>Generating: {0} tokens so far</source>
      <translation>생성 중: 지금까지 토큰 {0}개</translation>
    </message>
    <message>
      <source>Generating by beam search ({0} beams): {1} steps so far</source>
      <translation>빔 탐색으로 생성 중 (빔 {0}개): 지금까지 {1}단계</translation>
    </message>
    <message>
      <source>; {0}</source>
      <translation>; {0}</translation>
    </message>
    <message>
      <source>Generation</source>
      <translation>생성</translation>
    </message>
    <message>
      <source>a text decoder with a key/value cache of {0} tensors: Run → Generate text (Ctrl+G)</source>
      <translation>키/값 캐시 텐서 {0}개를 가진 텍스트 디코더: 실행 → 텍스트 생성 (Ctrl+G)</translation>
    </message>
    <message>
      <source>an encoder-decoder, {0} → {1}: Run → Generate text (Ctrl+G) runs the encoder on the inputs, then the decoder from its start token</source>
      <translation>인코더-디코더 {0} → {1}: 실행 → 텍스트 생성 (Ctrl+G)은 입력으로 인코더를 실행한 뒤 시작 토큰부터 디코더를 실행합니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="263" />
      <source>scores for each token of a sequence, with no key/value cache: if it is a causal decoder, Run → Generate text (Ctrl+G) reads the whole sequence for each new token</source>
      <translation>시퀀스의 토큰마다 점수를 내며 키/값 캐시는 없음: 인과적 디코더라면 실행 → 텍스트 생성 (Ctrl+G)이 새 토큰마다 시퀀스 전체를 읽습니다</translation>
    </message>
    <message>
      <source>Tokenizer</source>
      <translation>토크나이저</translation>
    </message>
    <message>
      <source>{0}: a text feeds the token ids (the Text source)</source>
      <translation>{0}: 텍스트가 토큰 ID를 채웁니다 (텍스트 소스)</translation>
    </message>
    <message>
      <source>Pictures</source>
      <translation>그림</translation>
    </message>
    <message>
      <source>{0}: pictures are prepared as it says ({1})</source>
      <translation>{0}: 그림을 이 파일대로 준비합니다 ({1})</translation>
    </message>
    <message>
      <source>Audio</source>
      <translation>오디오</translation>
    </message>
    <message>
      <source>{0}: a .wav&apos;s samples are fed at zero mean and unit variance, as it says</source>
      <translation>{0}: 이 파일대로 .wav 샘플을 평균 0, 분산 1로 정규화해 넣습니다</translation>
    </message>
    <message>
      <source>Answer: «{0}» (tokens {1}-{2} of the question and context, score {3:.4g})</source>
      <translation>답: «{0}» (질문과 본문의 토큰 {1}-{2}, 점수 {3:.4g})</translation>
    </message>
    <message>
      <source>Answer: «{0}» (window {1} of {2} of the context, tokens {3}-{4}, score {5:.4g})</source>
      <translation>답: «{0}» (문맥 창 {1}/{2}, 토큰 {3}-{4}, 점수 {5:.4g})</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/workspace.py" line="970" />
      <source>set them under Symbolic dimensions</source>
      <translation>심볼릭 차원에서 값을 정하세요</translation>
    </message>
</context>
  <context>
    <name>VectorView</name>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>not a vector</source>
      <translation>벡터가 아닙니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>row {0}</source>
      <translation>행 {0}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>index</source>
      <translation>인덱스</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>value</source>
      <translation>값</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>{0} values, L2 norm {1}</source>
      <translation>값 {0}개, L2 노름 {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>{0} rows of {1} values, L2 norms {2}</source>
      <translation>{0}행 × 값 {1}개, L2 노름 {2}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>(unit length)</source>
      <translation>(단위 길이)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>cosine similarity with the last run: {0:.4f}</source>
      <translation>직전 실행과의 코사인 유사도: {0:.4f}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>run again on another input to see how alike the two are</source>
      <translation>다른 입력으로 다시 실행하면 두 결과가 얼마나 비슷한지 보여 줍니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="30" />
      <source>Cosine similarity between the rows</source>
      <translation>행 사이의 코사인 유사도</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/vector_view.py" line="1" />
      <source>no cosine similarity with the last run (a vector of zeros, NaN or infinity)</source>
      <translation>직전 실행과의 코사인 유사도 없음 (0 벡터이거나 NaN 또는 무한대 포함)</translation>
    </message>
  </context>
  <context>
    <name>ProfilePanel</name>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="147" />
      <source>Op type</source>
      <translation>연산 종류</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="147" />
      <source>Provider</source>
      <translation>공급자</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="148" />
      <source>Kernels</source>
      <translation>커널</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="148" />
      <source>Per run</source>
      <translation>실행당</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="149" />
      <source>Share</source>
      <translation>비율</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="151" />
      <source>Op</source>
      <translation>연산</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="152" />
      <source>Kernel</source>
      <translation>커널 이름</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="152" />
      <source>Model node</source>
      <translation>모델 노드</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="153" />
      <source>Input shapes</source>
      <translation>입력 모양</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="162" />
      <source>Runs profiled, after one run that warms the session up</source>
      <translation>세션을 준비하는 실행 1회 뒤에 프로파일할 실행 횟수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="163" />
      <source>Profile</source>
      <translation>프로파일</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="164" />
      <source>Run the model with onnxruntime's profiler: time per node, op type and provider</source>
      <translation>onnxruntime 프로파일러로 모델 실행: 노드, 연산 종류, 공급자별 시간</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="174" />
      <source>Export…</source>
      <translation>내보내기…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="175" />
      <source>The profile as JSON (every kernel) or CSV (the kernels' table)</source>
      <translation>프로파일을 JSON(모든 커널) 또는 CSV(커널 표)로 저장</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="179" />
      <source>Runs</source>
      <translation>실행 횟수</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="188" />
      <source>Profile the model to see where each run's time goes: per op type, per node, and on which execution provider each node ran.</source>
      <translation>모델을 프로파일하면 실행 시간이 어디에 쓰이는지 볼 수 있습니다: 연산 종류별, 노드별, 그리고 각 노드가 어느 실행 공급자에서 실행되었는지.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="203" />
      <source>Filter kernels by name, op or provider</source>
      <translation>이름, 연산 또는 공급자로 커널 필터</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="254" />
      <source> (rewritten by the optimizer)</source>
      <translation> (최적화기가 바꿈)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="254" />
      <source>added by onnxruntime</source>
      <translation>onnxruntime이 추가함</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="255" />
      <source>inside {0}</source>
      <translation>{0} 내부</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="289" />
      <source>{0} kernels, {1:.0%} of the time</source>
      <translation>커널 {0}개, 시간의 {1:.0%}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="298" />
      <source>{0:,} nodes in the model, {1:,} kernels run: {2:,} rewritten by the optimizer (optimization: {3}), {4:,} added by it ({5} a run), {6:,} nodes folded into constants or fused into another kernel.</source>
      <translation>모델 노드 {0:,}개, 실행된 커널 {1:,}개: 최적화기가 바꾼 것 {2:,}개 (최적화: {3}), 추가한 것 {4:,}개 (실행당 {5}), 상수로 접히거나 다른 커널에 합쳐진 노드 {6:,}개.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="323" />
      <source>Export the profile</source>
      <translation>프로파일 내보내기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="333" />
      <source>Could not save {0}: {1}</source>
      <translation>{0}을(를) 저장할 수 없습니다: {1}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="245" />
      <source>no kernel of its own: folded into a constant or fused into another node's kernel</source>
      <translation>자체 커널 없음: 상수로 접히거나 다른 노드의 커널에 합쳐짐</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="249" />
      <source>{0} a run, {1:.1%} of the kernels' time: {2}</source>
      <translation>실행당 {0}, 커널 시간의 {1:.1%}: {2}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="322" />
      <source>{0} kernels fell back from {1}:</source>
      <translation>{1}에서 대체 실행된 커널 {0}개:</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="324" />
      <source> (type the provider in the filter to list them)</source>
      <translation> (필터에 공급자 이름을 입력하면 목록이 나옵니다)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="351" />
      <source>JSON (*.json)</source>
      <translation>JSON (*.json)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="351" />
      <source>CSV (*.csv)</source>
      <translation>CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="353" />
      <source>onnxruntime's trace, for Perfetto or chrome://tracing (*.json)</source>
      <translation>onnxruntime 추적 파일, Perfetto 또는 chrome://tracing용 (*.json)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="312" />
      <source>&lt;b&gt;{0} runs&lt;/b&gt; profiled on {1}: median {2}, mean {3}, {4} of it in kernels ({5}). Session: {6}.</source>
      <translation>{1}에서 &lt;b&gt;{0}회 실행&lt;/b&gt; 프로파일: 중앙값 {2}, 평균 {3}, 그중 커널 {4} ({5}). 세션: {6}.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="60" />
      <source>MACs/s</source>
      <translation>MAC/초</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/profile_panel.py" line="238" />
      <source>{0} MACs a run: {1}MAC/s at the median run</source>
      <translation>실행당 {0} MAC: 중앙값 실행 기준 {1}MAC/초</translation>
    </message>
  </context>
  <context>
    <name>ComparePanel</name>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="45" />
      <source>Output</source>
      <translation>출력</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="45" />
      <source>Max abs diff</source>
      <translation>최대 절대 차이</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="46" />
      <source>Mean abs diff</source>
      <translation>평균 절대 차이</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="46" />
      <source>Max rel diff</source>
      <translation>최대 상대 차이</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="47" />
      <source>Cosine</source>
      <translation>코사인</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="47" />
      <source>Outside tolerance</source>
      <translation>허용 오차 밖</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="48" />
      <source>Best class agrees</source>
      <translation>최상위 클래스 일치</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="49" />
      <source>Largest difference</source>
      <translation>가장 큰 차이</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="55" />
      <source>What the current session (A) is compared with (B), on the same inputs</source>
      <translation>같은 입력으로 현재 세션(A)과 비교할 대상(B)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="57" />
      <source>a model taking the same inputs (an int8 copy, an older export)</source>
      <translation>같은 입력을 받는 모델 (int8 사본, 이전 내보내기)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="59" />
      <source>Browse…</source>
      <translation>찾아보기…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="63" />
      <source>Relative tolerance: |A - B| may reach atol + rtol × |B|</source>
      <translation>상대 허용 오차: |A - B|는 atol + rtol × |B|까지 허용</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="64" />
      <source>Absolute tolerance</source>
      <translation>절대 허용 오차</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="68" />
      <source>Compare</source>
      <translation>비교</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="69" />
      <source>Run the inputs on A and on B and compare every output</source>
      <translation>입력을 A와 B에서 실행하고 모든 출력을 비교</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="73" />
      <source>Compare with</source>
      <translation>비교 대상</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="82" />
      <source>Run the current inputs on a second session and see how far apart the outputs are: the same model unoptimized, on another execution provider, or another model (fp32 against int8).</source>
      <translation>현재 입력을 두 번째 세션에서 실행해 출력이 얼마나 다른지 봅니다: 최적화하지 않은 같은 모델, 다른 실행 공급자, 또는 다른 모델 (fp32 대 int8).</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="107" />
      <source>the same model, unoptimized</source>
      <translation>같은 모델, 최적화 없음</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="111" />
      <source>the same model on {0}</source>
      <translation>{0}에서 같은 모델</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="112" />
      <source>another model</source>
      <translation>다른 모델</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="124" />
      <source>Model to compare with</source>
      <translation>비교할 모델</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="125" />
      <source>ONNX models (*.onnx);;All files (*)</source>
      <translation>ONNX 모델 (*.onnx);;모든 파일 (*)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="158" />
      <source>{0}on {1} (optimization {2}): {3:.3f} ms</source>
      <translation>{0}{1}에서 (최적화 {2}): {3:.3f} ms</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="164" />
      <source>{0} of {1} outputs differ beyond rtol {2:g}, atol {3:g}</source>
      <translation>출력 {1}개 중 {0}개가 rtol {2:g}, atol {3:g}를 넘어 다름</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="167" />
      <source>every output within rtol {0:g}, atol {1:g}</source>
      <translation>모든 출력이 rtol {0:g}, atol {1:g} 안에 있음</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="178" />
      <source>{0:.1%} of {1}</source>
      <translation>{1}의 {0:.1%}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="178" />
      <source>pixels</source>
      <translation>픽셀</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="179" />
      <source>rows</source>
      <translation>행</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="182" />
      <source>at {0}: A {1:.6g}, B {2:.6g}</source>
      <translation>{0}: A {1:.6g}, B {2:.6g}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="191" />
      <source>{0}: A and B are equal</source>
      <translation>{0}: A와 B가 같습니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="194" />
      <source>{0}: no picture of the differences ({1})</source>
      <translation>{0}: 차이를 그림으로 보일 수 없음 ({1})</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="197" />
      <source>|A − B| of {0} {1}</source>
      <translation>{0} {1}의 |A − B|</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="198" />
      <source> (its first plane)</source>
      <translation> (첫 번째 평면)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="54" />
      <source>#</source>
      <translation>#</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="54" />
      <source>Node</source>
      <translation>노드</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="55" />
      <source>Op</source>
      <translation>연산자</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="55" />
      <source>Tensor</source>
      <translation>텐서</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="83" />
      <source>Layer by layer</source>
      <translation>레이어별</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="85" />
      <source>Also compare every tensor inside the model (each node's outputs made outputs of the model) and find the first that differs: where the difference starts. Slower, and onnxruntime cannot fuse across the exposed tensors</source>
      <translation>모델 안의 모든 텐서도 비교하고(각 노드의 출력을 모델 출력으로 노출) 처음으로 달라지는 텐서, 즉 차이가 시작되는 곳을 찾습니다. 더 느리며, 노출된 텐서를 가로지르는 onnxruntime의 융합은 일어나지 않습니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="132" />
      <source>Filter tensors by node, op or name</source>
      <translation>노드, 연산자 또는 이름으로 텐서 필터</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="138" />
      <source>Double-click a tensor to see its node in the graph</source>
      <translation>텐서를 두 번 클릭하면 그래프에서 해당 노드를 봅니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="290" />
      <source>{0} tensors compared layer by layer, {1} differ</source>
      <translation>레이어별로 텐서 {0}개 비교, {1}개 다름</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="293" />
      <source>({0} only in A, {1} only in B)</source>
      <translation>(A에만 {0}개, B에만 {1}개)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="296" />
      <source>The difference starts at node #{0} {1} ({2}): {3}</source>
      <translation>차이는 노드 #{0} {1} ({2})에서 시작됩니다: {3}</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="302" />
      <source>Every tensor agrees</source>
      <translation>모든 텐서가 일치합니다</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/compare_panel.py" line="304" />
      <source>Exposed tensors keep onnxruntime from fusing across them: this run may differ less than the outputs above.</source>
      <translation>노출된 텐서 때문에 onnxruntime이 그 사이를 융합하지 못하므로, 이 실행의 차이는 위의 출력보다 작을 수 있습니다.</translation>
    </message>
  </context>
  <context>
    <name>SweepView</name>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="34" />
      <source>Iterations</source>
      <translation>반복</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="34" />
      <source>Median ms</source>
      <translation>중앙값 ms</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="35" />
      <source>Runs/s</source>
      <translation>실행/초</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="35" />
      <source>Items/s</source>
      <translation>항목/초</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="36" />
      <source>ms/item</source>
      <translation>ms/항목</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="43" />
      <source>Choose a free dim under Sweep (batch, a sequence length) and its values, then Benchmark: each value is benchmarked in turn in one session.</source>
      <translation>스윕에서 자유 차원(배치, 시퀀스 길이)과 값을 고른 뒤 벤치마크하세요: 각 값을 한 세션에서 차례로 벤치마크합니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="57" />
      <source>median</source>
      <translation>중앙값</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="74" />
      <source>value</source>
      <translation>값</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="80" />
      <source>items/s</source>
      <translation>항목/초</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="80" />
      <source>runs/s</source>
      <translation>실행/초</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="85" />
      <source>Sweeping {0}: each value is benchmarked in turn with the settings above.</source>
      <translation>{0} 스윕: 위 설정으로 각 값을 차례로 벤치마크합니다.</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="103" />
      <source>Sweeping {0}: the most items per second so far at {0} = {1} ({2:,.1f}/s, {3:.3f} ms a run).</source>
      <translation>{0} 스윕: 지금까지 초당 항목이 가장 많은 값은 {0} = {1} ({2:,.1f}/초, 실행당 {3:.3f} ms).</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/sweep_view.py" line="51" />
      <source>latency (ms)</source>
      <translation>지연 시간 (ms)</translation>
    </message>
  </context>
  <context>
    <name>GraphPanel</name>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="41" />
      <source>Op type</source>
      <translation>연산자 유형</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="41" />
      <source>MACs per node</source>
      <translation>노드별 MAC</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="42" />
      <source>Time per node</source>
      <translation>노드별 시간</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="43" />
      <source>Provider</source>
      <translation>프로바이더</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="139" />
      <source>Search name, op:Conv, attr:axis, tensor:…</source>
      <translation>이름, op:Conv, attr:axis, tensor:… 검색</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="171" />
      <source>Fit</source>
      <translation>맞춤</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="171" />
      <source>Fit the graph to the window (F)</source>
      <translation>그래프를 창에 맞춤 (F)</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="172" />
      <source>Expand all</source>
      <translation>모두 펼치기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="172" />
      <source>Expand every namespace group</source>
      <translation>모든 네임스페이스 그룹 펼치기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="173" />
      <source>Collapse</source>
      <translation>접기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="173" />
      <source>Collapse to the top namespace groups</source>
      <translation>최상위 네임스페이스 그룹으로 접기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="178" />
      <source>Export</source>
      <translation>내보내기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="180" />
      <source>View as PNG…</source>
      <translation>보이는 부분을 PNG로…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="180" />
      <source>View as SVG…</source>
      <translation>보이는 부분을 SVG로…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="181" />
      <source>Whole graph as PNG…</source>
      <translation>그래프 전체를 PNG로…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="182" />
      <source>Whole graph as SVG…</source>
      <translation>그래프 전체를 SVG로…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="186" />
      <source>Colour</source>
      <translation>색</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="217" />
      <source>Laying out the graph…</source>
      <translation>그래프 배치 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="398" />
      <source>Searching…</source>
      <translation>검색 중…</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="420" />
      <source>No match</source>
      <translation>일치 항목 없음</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="478" />
      <source>Export graph</source>
      <translation>그래프 내보내기</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="44" />
      <source>Difference A − B</source>
      <translation>차이 A − B</translation>
    </message>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="147" />
      <source>How the nodes are coloured: by op type, by the arithmetic each does (MACs, counted from the shapes once the model is checked), by the last profile's time per node or provider, or by how far a layer by layer comparison found each node's outputs apart</source>
      <translation>노드를 칠하는 기준: 연산자 유형, 각 노드의 연산량(MAC, 모델 검사 후 모양으로 계산), 마지막 프로파일의 노드별 시간이나 프로바이더, 또는 레이어별 비교에서 각 노드 출력이 얼마나 달랐는지</translation>
    </message>
    <message>
      <source>Run the model and show this node's outputs</source>
      <translation>모델을 실행하고 이 노드의 출력 보기</translation>
    </message>
  </context>
  <context>
    <name>GraphWorker</name>
    <message>
      <location filename="../../onnxstudio/ui/graph_panel.py" line="94" />
      <source>Cannot lay out the graph: {0}</source>
      <translation>그래프를 배치할 수 없습니다: {0}</translation>
    </message>
  </context>
  <context>
    <name>OutputViews</name>
    <message>
      <source>the first {0} of {1}</source>
      <translation>{1}개 중 처음 {0}개</translation>
    </message>
    <message>
      <source>{0} channels of {1} × {2}, each scaled to its own range (dark: its lowest, bright: its highest)</source>
      <translation>{1} × {2} 채널 {0}개, 각각 자체 범위로 조정 (어두움: 최솟값, 밝음: 최댓값)</translation>
    </message>
  </context>
  <context>
    <name>GenerateDialog</name>
    <message>
      <source>Generate text</source>
      <translation>텍스트 생성</translation>
    </message>
    <message>
      <source>Follow the rules of the model&apos;s generation config</source>
      <translation>모델 생성 설정의 규칙 따르기</translation>
    </message>
    <message>
      <source>{0}: {1}</source>
      <translation>{0}: {1}</translation>
    </message>
    <message>
      <source>The model&apos;s config sets no rules on the scores</source>
      <translation>모델 설정에 점수 규칙이 없습니다</translation>
    </message>
    <message>
      <source>As transformers&apos; generate applies them: suppressed and banned tokens, a minimum length, the end forced at the last token, a repetition penalty, no repeated n-grams</source>
      <translation>transformers의 generate가 적용하는 대로: 억제·금지 토큰, 최소 길이, 마지막 토큰에서 강제 종료, 반복 페널티, n-gram 반복 금지</translation>
    </message>
    <message>
      <source>the model&apos;s</source>
      <translation>모델 설정</translation>
    </message>
    <message>
      <source>A token already in the text: its score divided by this (1: off)</source>
      <translation>이미 텍스트에 있는 토큰: 점수를 이 값으로 나눔 (1: 끔)</translation>
    </message>
    <message>
      <source>No run of this many tokens twice in the text (0: off)</source>
      <translation>이 길이의 토큰 연속을 텍스트에 두 번 쓰지 않음 (0: 끔)</translation>
    </message>
    <message>
      <source>Repetition penalty:</source>
      <translation>반복 페널티:</translation>
    </message>
    <message>
      <source>No repeated n-grams:</source>
      <translation>n-gram 반복 금지:</translation>
    </message>
    <message>
      <source>Beams:</source>
      <translation>빔 수:</translation>
    </message>
    <message>
      <source>the model&apos;s (its max_length, else 20)</source>
      <translation>모델 설정 (max_length, 없으면 20)</translation>
    </message>
    <message>
      <source>At their lowest: as many as the model&apos;s pipeline generates (the max_new_tokens or max_length of an encoder-decoder&apos;s generation config)</source>
      <translation>최솟값: 모델의 파이프라인이 생성하는 만큼 (인코더-디코더 생성 설정의 max_new_tokens 또는 max_length)</translation>
    </message>
    <message>
      <source>Beam search: the best of this many sequences kept each step, as transformers&apos; generate keeps them (1: one path); tokens drawn with a temperature take one</source>
      <translation>빔 탐색: transformers의 generate처럼 매 단계 이 수만큼 최고 시퀀스를 유지 (1: 한 경로); 온도로 뽑는 토큰은 한 경로</translation>
    </message>
    <message>
      <source>0 (greedy: the best token each step)</source>
      <translation>0 (탐욕적: 매 단계 최고 점수 토큰)</translation>
    </message>
    <message>
      <source>all</source>
      <translation>전체</translation>
    </message>
    <message>
      <source>Stop at the model&apos;s end-of-text token</source>
      <translation>모델의 텍스트 끝 토큰에서 멈춤</translation>
    </message>
    <message>
      <source>Its eos_token_id, from the generation_config.json or config.json beside it; off: every token is generated (to time a fixed number)</source>
      <translation>옆에 있는 generation_config.json 또는 config.json의 eos_token_id; 끄면 모든 토큰을 생성합니다 (정해진 개수의 시간 측정용)</translation>
    </message>
    <message>
      <source>New tokens:</source>
      <translation>새 토큰 수:</translation>
    </message>
    <message>
      <source>Temperature:</source>
      <translation>온도:</translation>
    </message>
    <message>
      <source>Top-k:</source>
      <translation>Top-k:</translation>
    </message>
    <message>
      <source>Top-p:</source>
      <translation>Top-p:</translation>
    </message>
    <message>
      <source>Seed:</source>
      <translation>시드:</translation>
    </message>
  </context>
</TS>
