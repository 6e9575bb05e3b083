#!/usr/bin/env python3
"""Generate a labelled corpus of inspection problems (巡察/审计 问题) for the similarity benchmark.

One JSON object a line: id, unit, year, source, text, cluster. Lines with the same `cluster` state the
same problem: paraphrased, reordered, partly overlapping, found again in the same unit in a later year
(屡改屡犯) or in other units (共性问题). Hard negatives share the genre's boilerplate frames, or the same
domain, object or actor, with another problem. Lines are ordered by year, so "earlier lines" are
earlier problems, as the benchmark assumes.

Units are dash paths that encode the tree: county `c012`, township `c012-t03`, village `c012-t03-v07`,
county department `c012-d04`. A unit's parent is the path without its last part.

Deterministic: the same --size and --seed give the same bytes. Python standard library only.

    python3 bench/similar/generate.py --size 10000 --seed 1 > corpus-10k.jsonl
"""

import argparse
import json
import random
import sys

# Each domain: subjects (what area), objects (a concrete thing), defects (each with two wordings),
# details (what the example says happened).
DOMAINS = [
    dict(name="村级财务",
         subjects=["村级财务管理", "村集体财务", "村级财务收支"],
         objects=["办公经费", "误工补贴", "招待费用", "水电费", "村干部报酬", "保洁员工资", "修缮费用",
                  "项目管理费", "会议费", "差旅费", "慰问金", "租金收入"],
         defects=[("存在白条入账现象", "以白条充当报销凭证"),
                  ("大额资金支出未经集体研究", "大额开支没有经过村民代表会议讨论"),
                  ("坐收坐支问题突出", "收入不入账直接用于开支"),
                  ("会计凭证审核把关不严", "报销单据审核流于形式"),
                  ("村务财务公开不及时", "财务公开栏长期未更新"),
                  ("现金管理混乱", "库存现金超限额存放")],
         details=["报销时无经手人和证明人签字", "支出未附明细清单", "同一笔费用重复报销",
                  "票据日期与实际支出时间不符", "由村支书一人审批"]),
    dict(name="集体资产",
         subjects=["农村集体资产管理", "集体资产资源发包", "村集体三资管理"],
         objects=["集体鱼塘", "集体林地", "闲置校舍", "村部门面", "集体厂房", "机动地", "荒山荒坡",
                  "集体果园", "沿街商铺", "村办仓库", "晒场", "集体水库"],
         defects=[("发包租赁未经公开招标", "资产出租没有履行公开竞价程序"),
                  ("合同期限过长租金偏低", "承包合同年限过长且租金明显低于市场价"),
                  ("资产台账登记不全", "集体资产底数不清账实不符"),
                  ("租金收缴不及时", "承包费长期拖欠未收回"),
                  ("资产处置未经民主程序", "处置集体资产没有经过四议两公开"),
                  ("合同签订不规范", "承包合同要素不全缺少违约条款")],
         details=["承包方为村干部亲属", "合同到期后未重新发包", "租金未纳入村集体账户",
                  "资产被个人长期无偿占用", "合同约定事项未履行"]),
    dict(name="惠民资金",
         subjects=["惠民惠农资金发放", "民生补贴资金管理", "惠农政策落实"],
         objects=["耕地地力保护补贴", "农机购置补贴", "危房改造补助", "生态护林员补助",
                  "残疾人两项补贴", "高龄津贴", "种粮补贴", "退耕还林补助", "养老服务补贴",
                  "临时救助金", "产业奖补资金", "公益岗位补贴"],
         defects=[("补贴发放不精准", "补助对象识别不准确"),
                  ("资金发放滞后", "补贴未能按时足额发放到户"),
                  ("资金被截留挪用", "补助款被挤占挪作他用"),
                  ("公示程序走过场", "发放名单未按规定张榜公示"),
                  ("冒领骗取问题时有发生", "存在虚报冒领补助资金情况"),
                  ("动态管理不及时", "死亡和迁出人员未及时清退")],
         details=["向不符合条件人员发放补贴", "补贴面积与实际种植面积不符", "资金滞留镇财政账户",
                  "代领代签现象较多", "台账信息与系统数据不一致"]),
    dict(name="低保救助",
         subjects=["农村低保管理", "社会救助工作", "低保对象认定"],
         objects=["农村低保", "特困供养", "临时救助", "医疗救助", "分散供养对象", "低保边缘家庭",
                  "孤儿基本生活费", "城市低保", "重度残疾人单独施保", "困境儿童", "五保户", "单人户施保"],
         defects=[("关系保人情保问题仍然存在", "存在优亲厚友违规纳入低保"),
                  ("入户核查不认真", "家庭经济状况核对流于形式"),
                  ("动态调整不及时", "不符合条件的对象未及时退出"),
                  ("民主评议不规范", "评议会议记录不全程序缺失"),
                  ("档案资料不完整", "申请审批材料缺失"),
                  ("应保未保现象存在", "符合条件的困难群众未被纳入")],
         details=["村干部近亲属违规享受低保", "家庭有车辆仍在享受", "死亡人员仍在领取救助金",
                  "一户多人重复享受", "收入核算明显偏低"]),
    dict(name="工程项目",
         subjects=["工程项目建设管理", "政府投资项目", "村级工程项目"],
         objects=["村道硬化工程", "饮水安全工程", "文化广场建设", "高标准农田项目", "小型水利设施",
                  "污水管网改造", "路灯亮化工程", "村部办公楼", "河道整治工程", "桥梁维修工程",
                  "光伏电站", "冷链仓储设施"],
         defects=[("规避招标化整为零", "项目拆分发包规避公开招标"),
                  ("工程变更手续不全", "设计变更未经审批"),
                  ("验收把关不严", "未经竣工验收即投入使用"),
                  ("工程款支付不规范", "超进度拨付工程款"),
                  ("项目建成后管护缺失", "建后管护责任未落实"),
                  ("监理履职不到位", "工程监理形同虚设")],
         details=["施工方为村干部亲属", "实际工程量与结算不符", "工程质量出现明显问题",
                  "项目资料缺失无法追溯", "多计工程款"]),
    dict(name="理论学习",
         subjects=["理论学习", "党委理论学习中心组学习", "第一议题学习"],
         objects=["党的创新理论", "习近平新时代中国特色社会主义思想", "党的二十大精神",
                  "总书记重要讲话精神", "党章党规", "上级会议精神", "中心组专题研讨", "三农工作论述",
                  "意识形态工作要求", "法律法规", "民法典", "党史学习教育"],
         defects=[("学习不系统不深入", "学习浮于表面缺乏系统性"),
                  ("学用结合不紧密", "理论学习与实际工作脱节"),
                  ("学习制度落实不严", "集中学习次数不足"),
                  ("研讨交流质量不高", "交流发言照本宣科"),
                  ("学习记录不规范", "学习笔记简单抄写"),
                  ("以会代学以读代学", "只读文件不作研讨")],
         details=["中心组全年仅开展集中学习四次", "专题研讨无人发言", "学习计划未按期完成",
                  "学习材料由办公室代写", "领导班子成员请假缺席较多"]),
    dict(name="组织生活",
         subjects=["基层党组织组织生活", "三会一课制度落实", "党内组织生活"],
         objects=["支部委员会", "党员大会", "党小组会", "党课", "主题党日", "组织生活会",
                  "民主评议党员", "谈心谈话", "流动党员管理", "党员积分管理", "党费收缴", "支部书记述职"],
         defects=[("组织生活不经常不认真", "组织生活质量不高走过场"),
                  ("会议记录不规范", "会议记录补记代记"),
                  ("批评与自我批评辣味不足", "相互批评避重就轻"),
                  ("党费收缴不规范", "党费未按规定标准按月收缴"),
                  ("主题党日内容单一", "主题党日活动形式化"),
                  ("党员教育管理松散", "对党员日常管理失之于宽")],
         details=["全年未召开党员大会", "记录内容雷同", "支部书记未按要求讲党课",
                  "会议签到由他人代签", "党员参会率不足一半"]),
    dict(name="选人用人",
         subjects=["选人用人工作", "干部选拔任用", "干部队伍建设"],
         objects=["年轻干部", "村后备干部", "中层干部", "村两委干部", "事业编人员", "借调人员",
                  "编外聘用人员", "驻村干部", "大学生村官", "退役军人", "乡镇站所负责人", "女干部"],
         defects=[("干部选拔程序不规范", "动议酝酿环节缺失"),
                  ("干部队伍年龄结构老化", "干部年龄偏大青黄不接"),
                  ("考核评价不精准", "干部考核结果区分度不高"),
                  ("干部档案管理不规范", "干部人事档案材料缺失"),
                  ("长期借调占用编制", "借调人员长期不回原单位"),
                  ("培养锻炼不够系统", "年轻干部缺少岗位交流历练")],
         details=["出生日期前后不一致", "学历材料无法核实", "未经考察直接任用",
                  "考核等次平均分配", "同一岗位任职超过十年"]),
    dict(name="八项规定",
         subjects=["中央八项规定精神落实", "作风建设", "公务接待管理"],
         objects=["公务接待", "公务用车", "办公用房", "会议费", "培训费", "差旅费", "节日慰问",
                  "津贴补贴", "礼品礼金", "公款吃喝", "通讯补贴", "加班补助"],
         defects=[("公务接待超标准", "接待费用超出规定标准"),
                  ("违规发放津贴补贴", "巧立名目发放福利"),
                  ("公车私用现象存在", "公务用车管理不严"),
                  ("接待清单不完整", "无公函接待"),
                  ("办公用房超标", "领导干部办公用房面积超标"),
                  ("报销审批不严", "费用报销把关不严")],
         details=["接待陪餐人数超标", "在餐费中列支烟酒", "以会议名义发放补助",
                  "车辆出行无登记", "节日期间违规发放购物卡"]),
    dict(name="人居环境",
         subjects=["农村人居环境整治", "美丽乡村建设", "村容村貌整治"],
         objects=["农村改厕", "生活垃圾治理", "生活污水处理", "村庄清洁行动", "畜禽粪污", "黑臭水体",
                  "乱堆乱放", "私搭乱建", "沟渠清理", "绿化养护", "公厕管护", "垃圾中转站"],
         defects=[("整治成果反弹", "整治效果不持续出现反弹"),
                  ("长效管护机制缺失", "管护责任不明确"),
                  ("改厕质量不高", "改厕后无法正常使用"),
                  ("垃圾清运不及时", "垃圾堆积清运不及时"),
                  ("资金使用效益不高", "整治资金闲置"),
                  ("群众参与度不高", "群众主体作用发挥不够")],
         details=["检查时发现大量积存垃圾", "设施建成后闲置", "保洁员长期缺岗",
                  "群众反映强烈", "整改后再次出现"]),
    dict(name="耕地保护",
         subjects=["耕地保护", "土地管理", "自然资源管理"],
         objects=["基本农田", "永久基本农田", "宅基地", "设施农用地", "撂荒地", "林地", "河道岸线",
                  "建设用地", "临时用地", "土地流转", "卫片图斑", "占补平衡"],
         defects=[("违法占用耕地问题突出", "违规占用耕地建房"),
                  ("耕地撂荒现象存在", "部分耕地长期撂荒"),
                  ("土地流转不规范", "土地流转合同不规范"),
                  ("违法用地查处不力", "对违法用地发现不及时处置不到位"),
                  ("卫片图斑整改滞后", "卫片执法发现问题整改不彻底"),
                  ("非农化非粮化问题", "耕地种植非粮作物")],
         details=["被卫片执法监督发现多处", "违建未拆除", "擅自改变土地用途",
                  "流转费未及时兑付", "临时用地到期未复垦"]),
    dict(name="安全生产",
         subjects=["安全生产工作", "安全隐患排查", "应急管理"],
         objects=["自建房", "燃气", "消防通道", "危化品", "道路交通", "地质灾害点", "小作坊",
                  "建筑工地", "水库堤坝", "学校周边", "农家乐", "电动车充电"],
         defects=[("隐患排查不彻底", "安全检查流于形式"),
                  ("整改跟踪不到位", "发现隐患未督促整改销号"),
                  ("应急预案不完善", "应急演练走过场"),
                  ("安全责任未压实", "一岗双责落实不到位"),
                  ("安全台账不健全", "检查记录缺失"),
                  ("宣传培训不足", "群众安全意识薄弱")],
         details=["检查中发现重大隐患", "同一隐患多次检查仍未整改", "值班记录空白",
                  "物资储备不足", "发生一般安全事故"]),
    dict(name="信访维稳",
         subjects=["信访工作", "矛盾纠纷化解", "群众诉求办理"],
         objects=["信访积案", "土地纠纷", "征地拆迁", "邻里纠纷", "欠薪问题", "环境投诉",
                  "12345热线", "重复信访", "网上信访", "婚姻家庭纠纷", "物业纠纷", "涉法涉诉"],
         defects=[("群众诉求响应不及时", "诉求办理超期"),
                  ("化解不彻底反复信访", "问题久拖不决引发重复信访"),
                  ("源头预防不够", "矛盾排查不深入"),
                  ("答复质量不高", "答复内容简单敷衍"),
                  ("办理结果群众不满意", "群众满意率偏低"),
                  ("首问负责落实不好", "推诿扯皮")],
         details=["长达三年未化解", "信访人多次越级上访", "办结后回访缺失",
                  "转办件无人跟踪", "热线工单被退回"]),
    dict(name="主体责任",
         subjects=["全面从严治党主体责任", "党风廉政建设", "两个责任落实"],
         objects=["一岗双责", "第一责任人", "责任清单", "约谈提醒", "廉政谈话", "述责述廉",
                  "责任书", "廉政风险点", "警示教育", "专项检查", "日常监督", "问责追责"],
         defects=[("主体责任压得不实", "党委主体责任层层递减"),
                  ("以会议落实会议", "以文件落实文件"),
                  ("监督检查不经常", "日常监督失之于宽松"),
                  ("警示教育不深入", "警示教育覆盖面不足"),
                  ("廉政风险防控不到位", "风险点排查不全面"),
                  ("问责不严不实", "问责偏轻偏软")],
         details=["全年未专题研究党风廉政建设", "责任书内容照搬照抄", "约谈记录缺失",
                  "班子成员未按要求述责述廉", "问题线索处置超期"]),
    dict(name="意识形态",
         subjects=["意识形态工作", "宣传思想工作", "网络意识形态"],
         objects=["意识形态阵地", "微信公众号", "宣传栏", "新时代文明实践站", "农家书屋",
                  "网络舆情", "宗教活动场所", "政务新媒体", "村广播", "文化礼堂", "讲座论坛", "工作群"],
         defects=[("意识形态责任制落实不到位", "意识形态工作责任制落实不到位"),
                  ("阵地管理不规范", "阵地管理存在漏洞"),
                  ("舆情处置不及时", "舆情研判应对能力不足"),
                  ("研判分析流于形式", "专题研究次数不足"),
                  ("政务新媒体更新不及时", "公众号长期不更新"),
                  ("宣传内容审核不严", "信息发布审核把关不严")],
         details=["全年仅研究一次意识形态工作", "发布信息出现错误表述", "站点长期关闭",
                  "舆情发酵后才介入", "未建立管理台账"]),
    dict(name="整改落实",
         subjects=["巡察整改", "审计整改", "上轮巡察反馈问题整改"],
         objects=["整改方案", "整改台账", "整改报告", "整改措施", "长效机制", "整改销号", "问题清单",
                  "整改时限", "整改回头看", "整改公示", "责任清单", "立行立改"],
         defects=[("整改不彻底不到位", "问题整改不彻底"),
                  ("虚假整改纸面整改", "以制度代替整改"),
                  ("长效机制未建立", "没有建立长效机制"),
                  ("整改责任落实不够", "整改主体责任压得不实"),
                  ("屡改屡犯", "边改边犯问题反弹"),
                  ("整改进度滞后", "超期未完成整改")],
         details=["审计时仍发现类似问题", "整改报告与实际不符", "销号材料不全",
                  "整改后再次出现", "整改未向群众公开"]),
    dict(name="集体经济",
         subjects=["村集体经济发展", "发展壮大村集体经济", "集体经济组织"],
         objects=["合作社", "村集体收入", "产业项目", "扶贫资产", "光伏收益", "入股分红", "物业经营",
                  "土地托管", "乡村旅游", "农产品加工", "电商平台", "劳务公司"],
         defects=[("集体经济薄弱", "村集体收入偏低"),
                  ("发展思路窄办法少", "缺乏产业支撑"),
                  ("合作社空壳运行", "合作社有名无实"),
                  ("收益分配不规范", "收益未按规定分配"),
                  ("项目效益不佳", "产业项目亏损"),
                  ("扶贫资产管理不善", "扶贫资产闲置流失")],
         details=["连续两年无经营收入", "分红资金未到户", "合作社账目混乱",
                  "项目建成后闲置", "资产底数不清"]),
    dict(name="民主集中制",
         subjects=["民主集中制执行", "三重一大决策", "议事规则执行"],
         objects=["党委会", "村两委联席会", "四议两公开", "集体决策", "会议纪要", "重大事项",
                  "大额资金使用", "重要人事任免", "重大项目安排", "议事规则", "末位表态", "会前酝酿"],
         defects=[("三重一大事项未经集体决策", "重大事项个人说了算"),
                  ("议事规则执行不严", "会前准备不充分"),
                  ("会议记录不完整", "会议纪要与实际不符"),
                  ("四议两公开执行不规范", "村级重大事项未履行四议两公开"),
                  ("先干后议", "事后补办决策程序"),
                  ("决策跟踪督办不够", "决定事项落实无跟踪")],
         details=["大额资金支出未上会研究", "会议只有书记一人发言", "纪要由他人补写",
                  "决策事项未公开", "以碰头会代替党委会"]),
]

ACTORS = ["镇党委", "镇政府", "村党支部", "村委会", "镇财政所", "镇农经站", "村监委会", "镇纪委",
          "驻村工作队", "镇民政办", "村会计", "村党支部书记", "镇自然资源所", "镇村建办", "镇党建办"]

QUALIFIERS = ["近年来", "换届以来", "上轮巡察以来", "去年以来", "在日常管理中", "在年度考核中",
              "在专项检查中", "在审计中", "在回头看中", "在自查中", "在督查中", "在走访中"]

# Openings and closings: the genre's stock phrases. Problems sharing only these must not match.
OPENINGS = ["对照上级要求，", "与新形势新任务新要求相比还存在一定差距，", "重视程度还不够，",
            "工作落实不到位，", "主体责任意识还不够强，", "思想认识不到位，", "",
            "", "", "对相关工作重视不够、推进不力，", "存在重部署轻落实的倾向，"]
CLOSINGS = ["有待进一步加强。", "还需进一步提高。", "与群众期盼还存在差距。", "落实不够到位。",
            "监督管理不到位。", "工作成效不够明显。", "", "", "", "需要进一步规范。",
            "距离上级要求还有差距，有待进一步提高。"]

VAGUE_AREAS = ["工作作风", "制度建设", "队伍建设", "责任落实", "能力素质", "工作创新", "统筹协调",
               "担当作为", "工作方法", "服务意识", "执行力", "工作机制", "督促检查", "宣传引导"]

SYNONYMS = [("未", "没有"), ("部分", "个别"), ("存在", "仍有"), ("及时", "按时"), ("不规范", "不严格"),
            ("例如", "比如"), ("资金", "款项"), ("程序", "流程"), ("问题", "现象"), ("管理", "管控"),
            ("开展", "组织"), ("不够", "不足"), ("长期", "长时间"), ("较多", "不少"), ("严重", "突出"),
            ("规定", "要求"), ("落实", "执行"), ("村干部", "村两委成员"), ("缺失", "缺少"),
            ("不全", "不完整"), ("滞后", "缓慢"), ("偏低", "不高")]

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢"
PLACE_PARTS = "庄湾岭坪河桥沟坝山塘林店营集寨岗冲铺园屯"


def unit_name(unit):
    """A made-up place name, stable per unit, like 张家湾村 or 黄岭镇."""
    rng = random.Random(unit)
    name = rng.choice(SURNAMES) + rng.choice(["家", ""]) + rng.choice(PLACE_PARTS)
    if "-v" in unit:
        return name + "村"
    if "-d" in unit:
        return "县" + rng.choice(["农业农村局", "民政局", "财政局", "住建局", "水利局", "自然资源局"])
    if "-t" in unit:
        return name + rng.choice(["镇", "乡", "街道"])
    return name + "县"


class Corpus:
    def __init__(self, size, seed):
        self.rng = random.Random(seed)
        self.size = size
        counties = max(2, size // 20000)
        self.units = []
        for c in range(counties):
            county = "c%03d" % c
            for d in range(6):
                self.units.append("%s-d%02d" % (county, d))
            for t in range(12):
                town = "%s-t%02d" % (county, t)
                self.units.append(town)
                for v in range(14):
                    self.units.append("%s-v%02d" % (town, v))
        self.years = list(range(2018, 2026))
        self.sources = ["巡察", "审计", "自查", "回头看", "专项检查"]
        self.seen = set()

    def keyspace(self):
        """How many distinct problems the vocabulary can state."""
        total = 0
        for dom in DOMAINS:
            n, o, t = len(dom["defects"]), len(dom["objects"]), len(dom["details"])
            total += (n + n * (n - 1) // 2) * o * (t + t * (t - 1) // 2)
        return total

    def prototype(self):
        """A distinct problem: its substance is the domain, one or two defects, the object and one or two
        details of the example. Who is responsible, when, and the wording vary between its lines."""
        rng = self.rng
        while True:
            d = rng.randrange(len(DOMAINS))
            dom = DOMAINS[d]
            defects = tuple(sorted(rng.sample(range(len(dom["defects"])), 1 if rng.random() < 0.5 else 2)))
            details = tuple(sorted(rng.sample(range(len(dom["details"])), 1 if rng.random() < 0.5 else 2)))
            key = (d, defects, rng.randrange(len(dom["objects"])), details)
            if key not in self.seen:
                self.seen.add(key)
                return key, rng.randrange(len(ACTORS)), rng.randrange(len(dom["subjects"]))

    def render(self, prototype, unit, year):
        """One wording of a problem: random wording of each defect, synonyms, order, frames, omissions."""
        rng = self.rng
        (d, defects, o, details), a, s = prototype
        dom = DOMAINS[d]
        subject = dom["subjects"][s] if rng.random() < 0.7 else rng.choice(dom["subjects"])
        actor = ACTORS[a] if rng.random() < 0.6 else rng.choice(ACTORS)
        obj = dom["objects"][o]
        clauses = [dom["defects"][i][rng.randrange(2)] for i in defects]
        if len(clauses) == 2 and rng.random() < 0.15:
            clauses = clauses[:1] if rng.random() < 0.5 else clauses[1:]  # partial overlap
        if rng.random() < 0.3:
            rng.shuffle(clauses)
        facts = [dom["details"][i] for i in details]
        if rng.random() < 0.3:
            rng.shuffle(facts)
        place = unit_name(unit) if rng.random() < 0.5 else rng.choice(["XX村", "XX镇", "某村", "x村", "**村"])
        head = "%s%s方面，%s" % (actor, obj, subject) if rng.random() < 0.5 else "%s%s%s" % (actor, subject, obj)
        body = "，".join(clauses)
        example = ""
        if rng.random() < 0.85:
            amount = rng.choice(["", "涉及金额%d.%d万元，" % (rng.randrange(1, 99), rng.randrange(10)),
                                 "共%d笔，" % rng.randrange(2, 40),
                                 "%d年%d月，" % (year - rng.randrange(2), rng.randrange(1, 13))])
            example = "%s%s%s%s%s。" % (rng.choice(["例如，", "如", "比如，"]), place, rng.choice(QUALIFIERS), amount,
                                        "，".join(facts))
        opening = rng.choice(OPENINGS)
        closing = rng.choice(CLOSINGS)
        if rng.random() < 0.5:
            text = opening + head + body + "。" + example + closing
        else:
            text = head + "，" + opening + body + "；" + example + closing
        for a_word, b_word in SYNONYMS:
            if rng.random() < 0.15:
                text = text.replace(a_word, b_word) if a_word in text else text.replace(b_word, a_word)
        return text

    def hard_negative(self):
        """A problem made of the genre's stock phrases about a vague area: it states nothing checkable,
        so it must match nothing, though it shares its frames with many other lines."""
        rng = self.rng
        area = rng.choice(VAGUE_AREAS)
        parts = [rng.choice(OPENINGS), area, rng.choice(["还不够到位，", "存在一定差距，", "有待加强，", "不够深入，"]),
                 rng.choice(["主要表现在", "具体表现为", ""]), rng.choice(VAGUE_AREAS),
                 rng.choice(["力度不够，", "还不够扎实，", "不够有力，"]), rng.choice(CLOSINGS) or "有待进一步加强。"]
        return "".join(parts)

    def cluster_members(self, home, size):
        """Units and years for a cluster's lines: repeats in the home unit, its county, or elsewhere."""
        rng = self.rng
        first_year = rng.choice(self.years[:-1])
        members = [(home, first_year)]
        county = home.split("-")[0]
        same_county = [u for u in self.units_by_county[county]]
        for _ in range(size - 1):
            r = rng.random()
            if r < 0.35:
                unit = home
            elif r < 0.8:
                unit = rng.choice(same_county)
            else:
                unit = rng.choice(self.units)
            members.append((unit, rng.choice([y for y in self.years if y >= first_year])))
        return members

    def generate(self):
        rng = self.rng
        self.units_by_county = {}
        for u in self.units:
            self.units_by_county.setdefault(u.split("-")[0], []).append(u)
        # A province-sized corpus states the same problem in many units: when the vocabulary runs short
        # of distinct problems, clusters grow instead of repeating a problem under two labels.
        clusters = min(self.size // 3, int(self.keyspace() * 0.6))
        mean_size = max(3.0, self.size / max(1, clusters))
        lines = []
        cluster_number = 0
        while len(lines) < self.size:
            cluster_number += 1
            cluster = "k%07d" % cluster_number
            home = rng.choice(self.units)
            r = rng.random()
            if r < 0.08:
                lines.append((home, rng.choice(self.years), self.hard_negative(), cluster))
                continue
            size = 1 if r < 0.35 else min(2 + int(rng.expovariate(1 / (mean_size * 1.5 - 2))), int(mean_size * 8))
            prototype = self.prototype()
            for unit, year in self.cluster_members(home, size):
                lines.append((unit, year, self.render(prototype, unit, year), cluster))
        lines = lines[: self.size]
        order = list(range(len(lines)))
        rng.shuffle(order)
        order.sort(key=lambda i: lines[i][1])
        out = []
        for n, i in enumerate(order):
            unit, year, text, cluster = lines[i]
            out.append({"id": "p%07d" % (n + 1), "unit": unit, "year": year,
                        "source": rng.choice(self.sources), "text": text, "cluster": cluster})
        return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000, help="number of problems (10000, 100000, 1000000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="output file (default: standard output)")
    args = parser.parse_args()
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    for record in Corpus(args.size, args.seed).generate():
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    if args.out:
        out.close()


if __name__ == "__main__":
    main()
